using System.Diagnostics;
using System.Globalization;
using Q2Google.Api;
using Q2Google.Failures;
using Q2Google.State;
using Q2Google.Upload;

namespace Q2Google.Cli;

internal sealed class VerifyCommands(GooglePhotosApi api, Terminal terminal, RetryOptions retry, TimeProvider time, LibraryJournals journals)
{
    /// <summary><c>q2google verify</c> (summary, options and their help: <see cref="OptionTable"/>).</summary>
    public async Task<int> Verify(bool json = false, bool repair = false, string? sample = null, long maxRequests = 0,
        CancellationToken cancellationToken = default, [ConsoleAppFramework.Argument] params string[] paths)
    {
        var options = new VerifyOptions
        {
            Paths = [.. paths.Select(p => Path.TrimEndingDirectorySeparator(Path.GetFullPath(p)))],
            SamplePercent = sample is null ? null : Percent(sample),
            Repair = repair,
        };
        if (maxRequests < 0) throw new UsageException("--max-requests must be 0 (no limit) or more");
        api.Gate = new SharedQuota("", maxRequests, time, daily: false).For("verify");

        // Only a repair changes the journal, so only a repair waits for (and keeps out) an upload of the same library.
        using var locked = repair ? await journals.OpenAsync(cancellationToken).ConfigureAwait(false) : null;
        // The walk holds the journal it reads for as long as it runs, so a repair is written through another instance.
        using var view = locked is not null
            ? Journal.ReadOnly(locked.Folder, time)
            : LibraryJournal.OpenReadOnly(journals.State, await journals.CurrentAsync(cancellationToken).ConfigureAwait(false), time);
        if (locked is null) JournalWarnings.Report(view, terminal);
        var folder = view.Folder;
        var reporter = new VerifyReporter(terminal, json, repair);
        var verifier = new LibraryVerifier(api, retry, view, locked, options, reporter.Report);
        verifier.Plan();
        if (verifier.EmptyPaths.FirstOrDefault() is { } empty)
        {
            throw new UsageException($"the journal holds no uploaded file under {TerminalText.Escape(empty)}; check the path ('q2google status' shows what it holds)");
        }

        terminal.Info(PlanText(verifier, options, maxRequests));
        var clock = Stopwatch.StartNew();
        await verifier.RunAsync(cancellationToken).ConfigureAwait(false);
        var summary = Summary(verifier, options, clock.Elapsed);
        reporter.PrintSummary(summary);
        reporter.Advise(summary);
        // Kept for status: when the backup was last proven, and what was missing then. A library never uploaded to has no folder for it.
        if (Directory.Exists(folder)) VerificationFile.Write(folder, Record(summary, options, verifier));
        if (verifier.StopReason is { } stopped)
        {
            terminal.ReportError(stopped + "; a later verify starts over: --sample checks a share of the items for fewer requests");
            return ExitCodes.DailyQuota;
        }

        return summary.Missing > 0 || summary.Unchecked > 0 ? ExitCodes.SomeFilesFailed : ExitCodes.Success;
    }

    private static double Percent(string text)
    {
        var number = text.EndsWith('%') ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent) || percent is <= 0 or > 100)
        {
            throw new UsageException($"--sample {TerminalText.Escape(text)} must be a percentage above 0 and at most 100, e.g. --sample 5");
        }

        return percent;
    }

    private static string PlanText(LibraryVerifier verifier, VerifyOptions options, long maxRequests)
    {
        if (verifier.Items == 0) return "nothing to verify: the journal holds no uploaded items for this library";
        var inv = CultureInfo.InvariantCulture;
        var what = options.SamplePercent is { } percent && verifier.Selected < verifier.Items
            ? string.Create(inv, $"a random {percent:0.###}% of {Plural.Of(verifier.Items, "uploaded item")} ({verifier.Selected:N0})")
            : Plural.Of(verifier.Items, "uploaded item");
        var text = $"verifying {what}: {Plural.Of(verifier.EstimatedRequests, "API request")} (mediaItems:batchGet, {MediaItemCheck.BatchSize} items each)";
        if (maxRequests > 0 && maxRequests < verifier.EstimatedRequests)
        {
            text += string.Create(inv, $"; --max-requests {maxRequests} stops it after {maxRequests * MediaItemCheck.BatchSize:N0} items");
        }

        return text;
    }

    private VerifySummaryReport Summary(LibraryVerifier verifier, VerifyOptions options, TimeSpan elapsed) => new()
    {
        Items = verifier.Items,
        Selected = verifier.Selected,
        Checked = verifier.Checked,
        Present = verifier.Present,
        Missing = verifier.Missing,
        Unrepairable = verifier.Unrepairable,
        Marked = options.Repair ? verifier.Marked : null,
        Unchecked = verifier.Unchecked > 0 ? verifier.Unchecked : null,
        NotChecked = verifier.NotChecked > 0 ? verifier.NotChecked : null,
        SampledPercent = options.SamplePercent,
        EstimatedMissing = verifier.EstimatedMissing,
        EstimatedRequests = verifier.EstimatedRequests,
        Requests = api.RequestCount,
        Seconds = Math.Round(elapsed.TotalSeconds, 3),
        Stopped = verifier.StopReason,
    };

    private Verification Record(VerifySummaryReport summary, VerifyOptions options, LibraryVerifier verifier) => new()
    {
        At = time.GetUtcNow(),
        Paths = options.Paths.Count > 0 ? options.Paths : null,
        Items = summary.Items,
        Checked = summary.Checked,
        Present = summary.Present,
        Missing = summary.Missing,
        Unrepairable = summary.Unrepairable,
        Marked = verifier.Marked,
        Unchecked = verifier.Unchecked,
        SampledPercent = summary.SampledPercent,
        EstimatedMissing = summary.EstimatedMissing,
        Stopped = summary.Stopped,
        MissingPaths = verifier.MissingPaths,
    };
}
