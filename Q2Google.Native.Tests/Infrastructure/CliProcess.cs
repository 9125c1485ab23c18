using System.Diagnostics;
using System.Text;

namespace Q2Google.Tests.Infrastructure;

/// <summary>
/// The CLI running in the background, for flows a test has to take part in: read what it prints to stderr
/// as it prints it, type into its stdin, then collect its exit code and output.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly List<(StringBuilder Stream, Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly Task _pumps;

    public CliProcess(string home, IEnumerable<string> args, IDictionary<string, string?> environment, string? binary = null)
    {
        var start = new ProcessStartInfo(binary ?? CliRunner.BuiltBinary)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false, WorkingDirectory = home,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("Q2GOOGLE_", StringComparison.Ordinal) || k.StartsWith("XDG_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["HOME"] = home;
        start.Environment["DISPLAY"] = null;
        start.Environment["WAYLAND_DISPLAY"] = null;
        foreach (var (name, value) in environment) start.Environment[name] = value;
        _process = Process.Start(start)!;
        _pumps = Task.WhenAll(PumpAsync(_process.StandardOutput, _stdout), PumpAsync(_process.StandardError, _stderr));
    }

    public int Id => _process.Id;

    /// <summary>Waits until a line printed on stderr matches, and returns it.</summary>
    public Task<string> WaitForStderrLineAsync(Func<string, bool> match, TimeSpan? timeout = null) => WaitForLineAsync(_stderr, match, timeout);

    /// <summary>Waits until a line printed on stdout (all of it, on a pseudo-terminal) matches, and returns it.</summary>
    public Task<string> WaitForStdoutLineAsync(Func<string, bool> match, TimeSpan? timeout = null) => WaitForLineAsync(_stdout, match, timeout);

    /// <summary>What stdout has received so far.</summary>
    public string StdoutSoFar
    {
        get
        {
            lock (_stderr) return _stdout.ToString();
        }
    }

    private Task<string> WaitForLineAsync(StringBuilder stream, Func<string, bool> match, TimeSpan? timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_stderr)
        {
            var existing = stream.ToString().Split('\n').FirstOrDefault(match);
            if (existing is not null) return Task.FromResult(existing);
            _waiters.Add((stream, match, found));
        }

        return found.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
    }

    public async Task TypeAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    public void CloseInput() => _process.StandardInput.Close();

    public async Task<CliResult> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(120));
        await _process.WaitForExitAsync(cts.Token);
        await _pumps;
        lock (_stderr) return new CliResult(_process.ExitCode, _stdout.ToString(), _stderr.ToString());
    }

    /// <summary>SIGKILL: the process gets no chance to clean up, as after a power cut.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public void Signal(int signal) => Process.Start("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    private async Task PumpAsync(StreamReader reader, StringBuilder sink)
    {
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null)
        {
            lock (_stderr)
            {
                sink.Append(line).Append('\n');
                foreach (var waiter in _waiters.Where(w => w.Stream == sink && w.Match(line)).ToList())
                {
                    _waiters.Remove(waiter);
                    waiter.Found.TrySetResult(line);
                }
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
