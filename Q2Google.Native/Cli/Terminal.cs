namespace Q2Google.Cli;

/// <summary>
/// Where commands write: results to <see cref="Out"/> (what scripts parse), everything else to
/// <see cref="Error"/>. An injected seam, so tests can capture output without touching <see cref="Console"/>.
/// </summary>
public sealed class Terminal(TextWriter output, TextWriter error, bool errorIsTerminal, bool quiet, bool color)
{
    public static Terminal FromConsole(bool quiet) => new(Console.Out, Console.Error, !Console.IsErrorRedirected, quiet,
        !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is not { Length: > 0 });

    public TextWriter Out { get; } = output;
    public TextWriter Error { get; } = error;

    /// <summary>Live, redrawn progress only when a person watches stderr.</summary>
    public bool ErrorIsTerminal { get; } = errorIsTerminal;

    public bool Quiet { get; } = quiet;
    public bool Color { get; } = color;

    /// <summary>A one-line error, always shown, prefixed so it stands out in logs.</summary>
    public void ReportError(string message) => Error.WriteLine("q2google: " + message);

    public void Warn(string message)
    {
        if (!Quiet) Error.WriteLine("q2google: warning: " + message);
    }

    public void Info(string message)
    {
        if (!Quiet) Error.WriteLine(message);
    }
}
