using System.Globalization;
using System.Text.Json;
using Q2Google.Upload;

namespace Q2Google.Cli;

/// <summary>Prints what <c>verify</c> finds and its summary: NDJSON with <c>--json</c>, aligned lines otherwise (docs/cli.md#verify).</summary>
internal sealed class VerifyReporter(Terminal terminal, bool json, bool repair)
{
    /// <summary>Missing items whose file is still here but were not marked (no <c>--repair</c>).</summary>
    public int Repairable { get; private set; }

    /// <summary>A finding of the verifier: printed even with <c>--quiet</c>, as upload prints its failures.</summary>
    public void Report(VerifyFinding finding)
    {
        var missing = finding.Verdict == ItemVerdict.Missing;
        if (missing && !finding.Unrepairable && !finding.Marked) Repairable++;
        var report = new ItemReport
        {
            Type = missing ? "missing" : "unchecked",
            Path = finding.Path,
            MediaItemId = finding.MediaItemId,
            LocalFile = missing ? finding.LocalFileExists : null,
            Repair = !missing ? null : finding.Unrepairable ? "unrepairable" : finding.Marked ? "marked" : null,
            Reason = finding.Reason,
        };
        if (json)
        {
            terminal.Out.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.ItemReport));
        }
        else
        {
            var detail = report.Repair switch
            {
                _ when !missing => report.Reason,
                "unrepairable" => "unrepairable: the local file is gone too",
                "marked" => "marked: the next upload sends it again",
                _ => "the local file is still here",
            };
            terminal.Out.WriteLine(TerminalText.Escape($"{report.Type,-16} {report.Path ?? "(no path recorded)"}  {detail}  ({report.MediaItemId})"));
        }

        terminal.FlushSoon();
    }

    public void PrintSummary(VerifySummaryReport summary)
    {
        if (json)
        {
            terminal.Out.WriteLine(JsonSerializer.Serialize(summary, CliJsonContext.Default.VerifySummaryReport));
            terminal.Out.Flush();
            return;
        }

        var inv = CultureInfo.InvariantCulture;
        var items = Plural.Of(summary.Items, "item");
        var line = summary.Checked == summary.Items ? $"{items} checked" : string.Create(inv, $"{summary.Checked:N0} of {items} checked");
        if (summary.SampledPercent is { } percent) line += string.Create(inv, $" (a random {percent:0.###}%)");
        line += string.Create(inv, $": {summary.Present:N0} present, {summary.Missing:N0} missing");
        if (summary.Unrepairable > 0) line += string.Create(inv, $" ({summary.Unrepairable:N0} unrepairable)");
        if (summary.Marked is > 0) line += string.Create(inv, $", {summary.Marked:N0} marked for the next upload");
        if (summary.Unchecked is { } unproven) line += string.Create(inv, $", {unproven:N0} unchecked");
        if (summary.NotChecked is { } notChecked) line += string.Create(inv, $", {notChecked:N0} not checked (the run stopped early)");
        if (summary.EstimatedMissing is { } estimate)
        {
            line += estimate > 0
                ? string.Create(inv, $"; about {estimate:N0} of the {items} may be missing (extrapolated from the sample)")
                : $"; likely none of the {items} is missing (extrapolated from the sample)";
        }

        terminal.Out.WriteLine(line + string.Create(inv, $"; {Plural.Of(summary.Requests, "API request")}, {summary.Seconds:0.0} s"));
        terminal.Out.Flush();
    }

    /// <summary>What to do next, on stderr: the person decides whether a missing photo comes back.</summary>
    public void Advise(VerifySummaryReport summary)
    {
        if (summary.Missing > 0 && summary.Missing == summary.Checked && summary.Checked >= 10)
        {
            terminal.Warn($"every one of the {Plural.Of(summary.Checked, "item")} checked is missing. If they were deleted in Google Photos, that is so; but Google shows " +
                          "an app only what the same OAuth client uploaded, so if this login uses another client than the uploads did, log in with that one " +
                          "before any --repair ('q2google auth status' shows the client)");
        }

        var one = Repairable == 1;
        if (Repairable > 0)
        {
            terminal.Info(one
                ? "1 missing item still has its file here; if it was not deleted on purpose, 'q2google verify --repair' marks it, and the next 'q2google upload' of its folder sends it again"
                : $"{Plural.Of(Repairable, "missing item")} still have their files here; if they were not deleted on purpose, 'q2google verify --repair' marks them, " +
                  "and the next 'q2google upload' of their folders sends them again");
        }
        else if (repair && summary.Marked - summary.Unrepairable is > 0 and var marked)
        {
            terminal.Info(marked == 1
                ? "the next 'q2google upload' of its folder sends the marked file again"
                : $"the next 'q2google upload' of their folders sends the {Plural.Of(marked, "marked file")} again");
        }

        if (summary.SampledPercent is not null && summary.Missing > 0 && summary.Items > summary.Checked)
        {
            terminal.Info($"a sample finds only some of what is missing: 'q2google verify' checks all {Plural.Of(summary.Items, "item")} " +
                          $"({Plural.Of((summary.Items + 49) / 50, "API request")})");
        }
    }
}
