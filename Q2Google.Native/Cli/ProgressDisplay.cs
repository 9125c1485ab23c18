using System.Diagnostics;
using System.Globalization;
using Q2Google.Upload;

namespace Q2Google.Cli;

/// <summary>
/// Upload progress on stderr: a live line redrawn four times a second on a terminal (files, bytes, rate,
/// ETA, the current file), a plain line every ten seconds in logs, nothing with <c>--quiet</c>.
/// </summary>
internal sealed class ProgressDisplay : IUploadProgress, IDisposable
{
    private readonly Terminal _terminal;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Timer? _timer;
    private readonly object _gate = new();
    private long _queuedBytes;
    private long _sentBytes;
    private int _finished;
    private int _uploaded;
    private int _total = -1;
    private string _current = "";
    private bool _drawn;

    /// <param name="draw">False where several jobs share one stderr: their live lines would overwrite each other.</param>
    public ProgressDisplay(Terminal terminal, bool draw = true)
    {
        _terminal = terminal;
        if (terminal.Quiet || !draw) return;
        terminal.PromptOpening += Clear;
        var period = terminal.ErrorIsTerminal ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromSeconds(10);
        _timer = new Timer(_ => Draw(), null, period, period);
    }

    public void Queued(long bytes) => Interlocked.Add(ref _queuedBytes, bytes);

    public void Started(string display)
    {
        lock (_gate) _current = display;
    }

    public void Sent(long bytes) => Interlocked.Add(ref _sentBytes, bytes);

    public void Uploaded(string display) => Interlocked.Increment(ref _uploaded);

    public void Finished(string display) => Interlocked.Increment(ref _finished);

    public void WalkCompleted(int files) => Volatile.Write(ref _total, files);

    public void Clear()
    {
        lock (_gate)
        {
            if (!_drawn) return;
            _terminal.Error.Write("\r\u001b[K");
            _drawn = false;
        }
    }

    private void Draw()
    {
        // A login prompt waits for the person: the pasted answer must not land on a progress line.
        if (_terminal.PromptOpen) return;
        var sent = Interlocked.Read(ref _sentBytes);
        var queued = Math.Max(Interlocked.Read(ref _queuedBytes), sent);
        var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        var rate = sent / seconds;
        var total = Volatile.Read(ref _total);
        var done = Volatile.Read(ref _finished);
        var files = (total < 0 ? $"{done} files done (still scanning)" : $"{done}/{total} files done") + $", {Volatile.Read(ref _uploaded)} sent";
        var eta = rate > 0 && total >= 0 && queued > sent ? " ETA " + Duration(TimeSpan.FromSeconds((queued - sent) / rate)) : "";
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{files}, {ByteCount.Format(sent)} of {ByteCount.Format(queued)} sent, {ByteCount.Format((long)rate)}/s{eta}");
        lock (_gate)
        {
            if (_terminal.ErrorIsTerminal)
            {
                var current = _current.Length > 40 ? "…" + _current[^39..] : _current;
                _terminal.Error.Write("\r\u001b[K" + line + (current.Length > 0 ? "  " + current : ""));
                _drawn = true;
            }
            else
            {
                _terminal.Error.WriteLine("progress: " + line);
            }

            _terminal.Error.Flush();
        }
    }

    private static string Duration(TimeSpan time) =>
        time.TotalHours >= 1 ? $"{(int)time.TotalHours}h{time.Minutes:00}m" : time.TotalMinutes >= 1 ? $"{time.Minutes}m{time.Seconds:00}s" : $"{time.Seconds}s";

    public void Dispose()
    {
        _timer?.Dispose();
        _terminal.PromptOpening -= Clear;
        Clear();
    }
}
