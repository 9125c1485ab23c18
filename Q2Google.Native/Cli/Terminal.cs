namespace Q2Google.Cli;

/// <summary>
/// Where commands write: results to <see cref="Out"/> (what scripts parse), everything else to
/// <see cref="Error"/>. An injected seam, so tests can capture output without touching <see cref="Console"/>.
/// </summary>
internal sealed class Terminal(TextWriter output, TextWriter error, bool errorIsTerminal, bool quiet, TextReader? input = null,
    bool interactive = false)
{
    // No colour is ever written, so NO_COLOR is honoured by construction.
    public static Terminal FromConsole(bool quiet) => new(Console.Out, Console.Error, !Console.IsErrorRedirected, quiet, Console.In,
        // A person is there to answer a login prompt: not in CI, not from cron (no terminal on stdin).
        !Console.IsInputRedirected && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is not { Length: > 0 });

    public TextReader In { get; } = input ?? TextReader.Null;

    /// <summary>True when a person can answer prompts (an interactive login) on this terminal.</summary>
    public bool Interactive { get; } = interactive;

    public TextWriter Out { get; } = output;
    public TextWriter Error { get; } = error;

    /// <summary>Live, redrawn progress only when a person watches stderr.</summary>
    public bool ErrorIsTerminal { get; } = errorIsTerminal;

    public bool Quiet { get; } = quiet;

    /// <summary>A one-line error, always shown, prefixed so it stands out in logs.</summary>
    public void ReportError(string message) => Error.WriteLine("q2google: " + TerminalText.Escape(message));

    public void Warn(string message)
    {
        if (!Quiet) Error.WriteLine("q2google: warning: " + TerminalText.Escape(message));
    }

    public void Info(string message)
    {
        if (!Quiet) Error.WriteLine(TerminalText.Escape(message, keepNewlines: true));
    }
}
