using System.Globalization;
using System.Text.Json;

namespace Q2Google.Cli;

/// <summary>Prints per-file results and the summary: NDJSON with <c>--json</c>, aligned lines otherwise.</summary>
public sealed class UploadReporter(Terminal terminal, bool json, Upload.IUploadProgress? progress = null)
{
    public int Uploaded { get; private set; }
    public int Skipped { get; private set; }
    public int Failed { get; private set; }
    public int AlreadyUploaded { get; private set; }
    public int Planned { get; private set; }
    public long Bytes { get; private set; }

    public void Report(FileReport report)
    {
        lock (this)
        {
            switch (report.Status)
            {
                case "uploaded":
                    Uploaded++;
                    Bytes += report.Bytes ?? 0;
                    break;
                case "already-uploaded":
                    AlreadyUploaded++;
                    Skipped++;
                    break;
                case "skipped":
                    Skipped++;
                    break;
                case "planned":
                    Planned++;
                    Bytes += report.Bytes ?? 0;
                    break;
                default:
                    Failed++;
                    break;
            }

            progress?.Clear();
            if (report.Status == "failed") terminal.ReportError($"{report.Path}: {report.Reason}");
            else if (report.Status == "skipped" && report.Reason is "empty-file" or "too-large" or "unsupported-type")
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
                    "planned" => FormatBytes(report.Bytes ?? 0),
                    _ => report.Reason ?? "",
                };
                terminal.Out.WriteLine($"{report.Status,-16} {report.Path}{(detail.Length > 0 ? "  " + detail : "")}");
            }

            terminal.Out.Flush();
        }
    }

    public SummaryReport Summary(long requests, TimeSpan elapsed, long? estimatedRequests = null) => new()
    {
        Uploaded = Uploaded,
        Skipped = Skipped,
        Failed = Failed,
        Bytes = Bytes,
        Requests = requests,
        Seconds = Math.Round(elapsed.TotalSeconds, 3),
        Planned = estimatedRequests is null ? null : Planned,
        EstimatedRequests = estimatedRequests,
    };

    public void PrintSummary(SummaryReport summary)
    {
        if (json)
        {
            terminal.Out.WriteLine(JsonSerializer.Serialize(summary, CliJsonContext.Default.SummaryReport));
        }
        else
        {
            var planned = summary.Planned is { } p
                ? $"plan: {p} files to upload ({FormatBytes(summary.Bytes)}), about {summary.EstimatedRequests} API requests " +
                  $"({100.0 * (summary.EstimatedRequests ?? 0) / 10_000:0.#}% of a day's 10,000); "
                : "";
            var already = AlreadyUploaded > 0 ? $" ({AlreadyUploaded} already uploaded)" : "";
            var bytes = summary.Planned is null ? $"; {FormatBytes(summary.Bytes)} " : "; ";
            terminal.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{planned}{summary.Uploaded} uploaded, {summary.Skipped} skipped{already}, {summary.Failed} failed{bytes}in {summary.Seconds:0.0} s, {summary.Requests} API requests"));
        }

        terminal.Out.Flush();
    }

    public int ExitCode => Failed > 0 ? ExitCodes.SomeFilesFailed : ExitCodes.Success;

    public static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.00} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        _ => $"{bytes} B",
    };

}
