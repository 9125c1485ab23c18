using System.Globalization;
using System.Text.Json;
using Q2Google.Failures;
using Q2Google.Upload;

namespace Q2Google.Cli;

/// <summary>
/// What a served job says (docs/cli.md#ndjson-records): each pass as <c>upload</c> prints one, and, between passes,
/// when it waits for the quota and when it will try again after a failure; as text, or NDJSON with <c>--json</c>.
/// </summary>
/// <param name="job"><c>run</c>: the job's name, on every record and line; null for <c>upload</c>.</param>
/// <param name="serving">The job outlives its first pass (<c>--watch</c>, <c>--wait-for-quota</c>): each summary says which pass it ends.</param>
/// <param name="draw">Live progress lines (not where several jobs share stderr).</param>
internal sealed class ServiceReporter(Terminal terminal, bool json, string? job, bool serving, bool draw) : IServiceObserver
{
    private string Prefix => job is null ? "" : job + ": ";

    public IPassOutput BeginPass(bool whole)
    {
        if (serving && !json) terminal.Info(Prefix + (whole ? "looking through every PATH" : "uploading what changed"));
        return new PassReporter(terminal, json, job, serving ? (whole ? "whole" : "changes") : null, draw);
    }

    public void Waiting(DateTimeOffset until, bool quota)
    {
        if (json)
        {
            Print(JsonSerializer.Serialize(new WaitingReport { Job = job, Reason = quota ? "quota" : "budget", Until = until }, CliJsonContext.Default.WaitingReport));
            return;
        }

        var why = quota ? "Google's daily quota is used up" : "the day's request budget (--max-requests) is used up";
        terminal.Info($"{Prefix}{why}: waiting until the quota day ends at midnight in Los Angeles, {Describe(until)}");
    }

    public void Trouble(string message, DateTimeOffset retryAt)
    {
        if (json) Print(JsonSerializer.Serialize(new TroubleReport { Job = job, Message = message, RetryAt = retryAt }, CliJsonContext.Default.TroubleReport));
        terminal.ReportError($"{Prefix}{message}; trying again at {retryAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC");
    }

    public void Note(string message) => terminal.Info(Prefix + message);

    /// <summary>An instant in Los Angeles time (where the quota day is counted) and in UTC.</summary>
    public static string Describe(DateTimeOffset instant)
    {
        var pacific = instant.ToOffset(QuotaDay.OffsetAt(instant));
        return string.Create(CultureInfo.InvariantCulture, $"{pacific:yyyy-MM-dd HH:mm} {(pacific.Offset.Hours == -7 ? "PDT" : "PST")} ({instant.UtcDateTime:yyyy-MM-dd HH:mm} UTC)");
    }

    private void Print(string line)
    {
        lock (terminal.Out)
        {
            terminal.Out.WriteLine(line);
            terminal.Out.Flush();
        }
    }
}
