namespace Q2Google.Cli;

/// <summary>
/// Where commands write: results to <see cref="Out"/> (what scripts parse), everything else to
/// <see cref="Error"/>. An injected seam, so tests can capture output without touching <see cref="Console"/>.
/// </summary>
internal sealed class Terminal(TextWriter output, TextWriter error, bool errorIsTerminal, bool quiet, TextReader? input = null,
    bool interactive = false, bool outputIsTerminal = false, Action? flushSoon = null)
{
    private int _prompts;

    // No colour is ever written, so NO_COLOR is honoured by construction.
    public static Terminal FromConsole(bool quiet)
    {
        Action? soon = null;
        var output = Console.IsOutputRedirected ? BufferedOutput.Create(Console.OpenStandardOutput(), out soon) : Console.Out;
        return new Terminal(output, Console.Error, !Console.IsErrorRedirected, quiet, Console.In,
            // A person is there to answer a login prompt: not in CI, not from cron (no terminal on stdin).
            !Console.IsInputRedirected && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is not { Length: > 0 },
            !Console.IsOutputRedirected, soon);
    }

    /// <summary>A result was written: on a screen it shows now; into a file or pipe it goes with the next block, or within a quarter second.</summary>
    public void FlushSoon()
    {
        if (flushSoon is null) Out.Flush();
        else flushSoon();
    }

    /// <summary>
    /// Results and messages land on the same screen (both streams are the terminal): what a result line says is
    /// not said again as a message.
    /// </summary>
    public bool OneScreen { get; } = outputIsTerminal && errorIsTerminal;

    /// <summary>A prompt waits for the person (a login): nothing else may draw on the screen meanwhile.</summary>
    public bool PromptOpen => Volatile.Read(ref _prompts) > 0;

    /// <summary>Told when a prompt opens, so a live progress line can get out of its way.</summary>
    public event Action? PromptOpening;

    /// <summary>Holds the screen for a prompt until the result is disposed.</summary>
    public IDisposable BeginPrompt()
    {
        Interlocked.Increment(ref _prompts);
        PromptOpening?.Invoke();
        return new PromptScope(this);
    }

    private sealed class PromptScope(Terminal terminal) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Decrement(ref terminal._prompts);
        }
    }

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
