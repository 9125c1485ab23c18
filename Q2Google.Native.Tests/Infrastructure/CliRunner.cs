using System.Diagnostics;

namespace Q2Google.Tests.Infrastructure;

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// Runs the real <c>q2google</c> as a separate process (the JIT build next to the tests, or a published
/// binary), with HOME and the XDG directories pointed into a scratch directory so nothing leaks in or out.
/// </summary>
internal static class CliRunner
{
    public static string BuiltBinary => Path.Combine(AppContext.BaseDirectory, "q2google");

    public static async Task<CliResult> RunAsync(string home, IEnumerable<string> args, IDictionary<string, string?>? environment = null,
        string? binary = null, string? stdin = null, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(binary ?? BuiltBinary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? home,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("Q2GOOGLE_", StringComparison.Ordinal) || k.StartsWith("XDG_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["HOME"] = home;
        start.Environment["NO_COLOR"] = "1";
        start.Environment["DISPLAY"] = null;
        start.Environment["WAYLAND_DISPLAY"] = null;
        if (environment is not null)
        {
            foreach (var (name, value) in environment) start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"q2google {string.Join(' ', args)} did not finish in time; stderr so far: {await stderr}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
