using System.Globalization;
using System.Text.Json;
using Q2Google.Upload;

namespace Q2Google.Cli;

/// <summary>Prints per-file results and the summary: NDJSON with <c>--json</c>, aligned lines otherwise.</summary>
/// <param name="job"><c>run</c>: the job whose files these are (a field of each record).</param>
internal sealed class UploadReporter(Terminal terminal, bool json, Upload.IUploadProgress? progress = null, string? job = null)
{
    /// <summary>An outcome of the engine, as this command's contract says it (docs/cli.md#ndjson-records).</summary>
    public void Report(Upload.FileOutcome outcome) => Report(new FileReport
    {
        Path = outcome.Path,
        Status = outcome.Status switch
        {
            Upload.OutcomeStatus.Uploaded => "uploaded",
            Upload.OutcomeStatus.AlreadyUploaded => "already-uploaded",
            Upload.OutcomeStatus.Skipped => "skipped",
            Upload.OutcomeStatus.Planned => "planned",
            _ => "failed",
        },
        MediaItemId = outcome.MediaItemId,
        ProductUrl = outcome.ProductUrl,
        AlbumId = outcome.AlbumId,
        Bytes = outcome.Bytes,
        Reason = outcome.Reason,
        Detail = outcome.Detail,
        Job = job,
    });

    private void Report(FileReport report)
    {
        lock (this)
        {
            progress?.Clear();
            // On one screen the result line below already says it; in a log or beside JSON, stderr must say it too.
            var said = !json && terminal.OneScreen;
            if (report.Status == "failed" && !said) terminal.ReportError($"{report.Path}: {report.Reason}");
            else if (report.Status == "skipped" && !said && report.Reason is "empty-file" or "too-large" or "unsupported-type" or "not-a-file")
            {
                terminal.Warn($"{report.Path}: skipped: {report.Detail ?? report.Reason}");
            }

            if (json)
            {
                terminal.Out.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.FileReport));
            }
            else if (!terminal.Quiet || report.Status == "failed")
            {
                var detail = report.Status switch
                {
                    "uploaded" or "already-uploaded" => report.ProductUrl ?? report.MediaItemId ?? "",
                    "planned" => ByteCount.Format(report.Bytes ?? 0),
                    "skipped" when report.Detail is not null => $"{report.Reason}: {report.Detail}",
                    _ => report.Reason ?? "",
                };
                terminal.Out.WriteLine(TerminalText.Escape($"{report.Status,-16} {report.Path}{(detail.Length > 0 ? "  " + detail : "")}"));
            }

            terminal.FlushSoon();
        }
    }

    /// <summary>A pass's summary record, its counts as the engine counted them (<see cref="PassCounts"/>).</summary>
    /// <param name="pass">A served job's kind of pass (<c>whole</c> or <c>changes</c>); null for a one-shot run.</param>
    public SummaryReport Summary(PassResult result, string? pass) => new()
    {
        Uploaded = result.Uploaded,
        AlreadyUploaded = result.AlreadyUploaded,
        Skipped = result.Skipped,
        Failed = result.Failed,
        NotAttempted = result.NotAttempted > 0 ? result.NotAttempted : null,
        Seen = Math.Max(result.Seen, result.Finished),
        Bytes = result.Bytes,
        Requests = result.Requests,
        Seconds = Math.Round(result.Elapsed.TotalSeconds, 3),
        Planned = result.DryRun ? result.Planned : null,
        EstimatedRequests = result.DryRun ? result.EstimatedRequests : null,
        Stopped = result.StopReason,
        Job = job,
        Pass = pass,
    };

    public void PrintSummary(SummaryReport summary)
    {
        if (json)
        {
            terminal.Out.WriteLine(JsonSerializer.Serialize(summary, CliJsonContext.Default.SummaryReport));
        }
        else
        {
            var notAttempted = summary.NotAttempted is { } n ? $", {n} not attempted (the run stopped early)" : "";
            var prefix = summary.Job is { } name ? $"{name}: " : "";
            var counts = $"{summary.AlreadyUploaded} already uploaded, {summary.Skipped} skipped, {summary.Failed} failed{notAttempted}";
            var inv = CultureInfo.InvariantCulture;
            terminal.Out.WriteLine(prefix + (summary.Planned is { } planned
                ? string.Create(inv, $"plan: {Plural.Of(planned, "file")} to upload ({ByteCount.Format(summary.Bytes)}), about {Plural.Of(summary.EstimatedRequests ?? 0, "API request")} ") +
                  string.Create(inv, $"({100.0 * (summary.EstimatedRequests ?? 0) / 10_000:0.#}% of a day's 10,000); {Plural.Of(summary.Seen, "file")} found: {counts}; {summary.Seconds:0.0} s")
                : string.Create(inv, $"{Plural.Of(summary.Seen, "file")}: {summary.Uploaded} uploaded, {counts}; {ByteCount.Format(summary.Bytes)} in {summary.Seconds:0.0} s, ") +
                  Plural.Of(summary.Requests, "API request")));
        }

        terminal.Out.Flush();
    }

}
