using Q2Google.Upload;

namespace Q2Google.Cli;

/// <summary>One pass of a served job on the terminal: its file lines and live progress, then its summary (and why it stopped).</summary>
internal sealed class PassReporter : IPassOutput
{
    private readonly Terminal _terminal;
    private readonly ProgressDisplay _progress;
    private readonly UploadReporter _reporter;
    private readonly string? _pass;

    public PassReporter(Terminal terminal, bool json, string? job, string? pass, bool draw)
    {
        _terminal = terminal;
        _pass = pass;
        _progress = new ProgressDisplay(terminal, draw);
        _reporter = new UploadReporter(terminal, json, _progress, job);
    }

    public IUploadProgress Progress => _progress;

    public void Report(FileOutcome outcome) => _reporter.Report(outcome);

    public void Note(string message)
    {
        _progress.Clear();
        _terminal.Info(message);
    }

    public void End(PassResult result, bool completed)
    {
        _progress.Dispose();
        // A pass stopped by an error before any file had an outcome has nothing to count: the error alone says what happened.
        if (completed || result.Finished > 0) _reporter.PrintSummary(_reporter.Summary(result, _pass));

        // A run that serves says next that it waits, and until when; "run again" would be wrong advice.
        if (result.StopReason is { } stopped && _pass is null) _terminal.ReportError(stopped);
    }
}
