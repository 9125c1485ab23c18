using System.Text;

namespace Q2Google.Cli;

/// <summary>
/// Standard output when it is a file or a pipe: written in 64 KB blocks instead of a system call per line (a
/// million NDJSON lines), and flushed a quarter of a second after the last line at most, so whoever reads the
/// pipe as it comes still sees each file promptly. Flushed at exit too.
/// </summary>
internal sealed class BufferedOutput
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(250);

    private readonly TextWriter _writer;
    private readonly Timer _timer;
    private int _pending;

    private BufferedOutput(Stream stream)
    {
        _writer = TextWriter.Synchronized(new StreamWriter(stream, new UTF8Encoding(false), 64 * 1024) { AutoFlush = false });
        _timer = new Timer(_ => FlushIfPending(), null, Timeout.Infinite, Timeout.Infinite);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => _writer.Flush();
    }

    public static TextWriter Create(Stream stream, out Action flushSoon)
    {
        var output = new BufferedOutput(stream);
        flushSoon = output.FlushSoon;
        return output._writer;
    }

    private void FlushSoon()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 0) _timer.Change(Delay, Timeout.InfiniteTimeSpan);
    }

    private void FlushIfPending()
    {
        if (Interlocked.Exchange(ref _pending, 0) == 1) _writer.Flush();
    }
}
