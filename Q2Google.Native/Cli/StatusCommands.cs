using System.Text.Json;
using Q2Google.State;
using Q2Google.Upload;

namespace Q2Google.Cli;

internal sealed class StatusCommands(CliSettings settings, Terminal terminal, TimeProvider time, LibraryJournals journals)
{
    /// <summary><c>q2google status</c> (summary, options and their help: <see cref="OptionTable"/>).</summary>
    public async Task<int> Status(bool health = false, string? maxAge = null, bool json = false, CancellationToken cancellationToken = default)
    {
        var state = journals.State;
        if (maxAge is not null && !health) throw new UsageException("--max-age only applies with --health");
        var services = new ServiceStatusFiles(state.Root).ReadAll();
        if (health) return Health(services, maxAge is null ? TimeSpan.FromHours(1) : DurationText.Parse(maxAge, "--max-age"));
        state.CheckExisting();
        // The saved login says whose library; no request is sent, so status works offline and beside a running upload.
        var identity = await journals.SavedAsync(cancellationToken).ConfigureAwait(false);
        var others = state.Libraries().Where(l => identity is null || l.Identity.Key != identity.Key).Select(l => l.Identity.Describe()).ToList();
        using var journal = identity is null ? Journal.Empty(time) : Journal.ReadOnly(state.FolderOf(identity), time);
        // One content at a time: a million-file library is counted without holding it.
        var uploaded = 0;
        var uploadedBytes = 0L;
        var pending = new List<PendingFile>();
        var failed = new List<FailedFile>();
        journal.ForEachContent(c =>
        {
            if (c.IsCreated)
            {
                uploaded++;
                uploadedBytes += c.Size;
            }
            else if (c.Token is not null || c.SessionUrl is not null)
            {
                pending.Add(new PendingFile
                {
                    Path = c.LastPath, Size = c.Size, Confirmed = c.Token is not null ? c.Size : c.Offset,
                    Stage = c.Token is not null ? "bytes uploaded, media item not yet created" : "uploading",
                });
            }
            else if (c.LastFailure is not null)
            {
                failed.Add(new FailedFile { Path = c.LastFailurePath ?? c.LastPath, Reason = c.LastFailure });
            }
        });
        var report = new JournalStatus
        {
            StateDir = settings.StateDir,
            Library = identity?.Describe(),
            AccountEmail = identity?.AccountEmail,
            Endpoint = identity?.Endpoint,
            Journal = identity is null ? null : journal.Path,
            UnreadableLines = journal.UnreadableLines,
            OtherLibraries = others,
            EarlierJournal = File.Exists(state.LegacyJournalPath) ? state.LegacyJournalPath : null,
            Uploaded = uploaded,
            UploadedBytes = uploadedBytes,
            Pending = pending,
            Failed = failed,
            Albums = [.. journal.Albums.Select(a => new AlbumSummary { Title = a.Title, Id = a.Id, Items = a.Count, Full = a.Full })],
            Jobs = services,
            Verified = identity is null ? null : VerificationFile.Read(state.FolderOf(identity)),
        };

        if (json)
        {
            terminal.Out.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.JournalStatus));
            return ExitCodes.Success;
        }

        void Line(string text) => terminal.Out.WriteLine(TerminalText.Escape(text));
        Line($"library:   {report.Library ?? "none: not logged in (q2google auth login), so no library is selected"}");
        Line($"state:     {report.Journal ?? report.StateDir}");
        Line($"uploaded:  {Plural.Of(report.Uploaded, "file")} ({ByteCount.Format(report.UploadedBytes)})");
        Line($"pending:   {Plural.Of(report.Pending.Count, "file")}");
        foreach (var p in report.Pending) Line($"  {p.Path}: {ByteCount.Format(p.Confirmed)} of {ByteCount.Format(p.Size)} confirmed ({p.Stage})");
        Line($"failed:    {Plural.Of(report.Failed.Count, "file")} (they are tried again on the next run)");
        foreach (var f in report.Failed) Line($"  {f.Path}: {f.Reason}");
        Line($"albums:    {report.Albums.Count}");
        foreach (var a in report.Albums) Line($"  {a.Title}: {Plural.Of(a.Items, "item")}{(a.Full ? " (full)" : "")}  {a.Id}");
        if (identity is not null) VerifiedLines(report.Verified, Line);
        if (report.UnreadableLines > 0) Line($"journal:   {JournalWarnings.Describe(journal)}; they were skipped");
        if (report.EarlierJournal is { } earlier) Line($"earlier:   {earlier}: a journal of an earlier version, adopted by the first upload whose library it proves to be");
        foreach (var other in report.OtherLibraries) Line($"also here: {other}");
        foreach (var job in services) Line($"job {job.Job}: {DescribeJob(job)}");
        return ExitCodes.Success;
    }

    /// <summary><c>status --health</c>: 0, or 1 with one line why (see <see cref="ServiceHealth"/>).</summary>
    private int Health(IReadOnlyList<ServiceStatus> services, TimeSpan maxAge)
    {
        if (ServiceHealth.Problem(services, time.GetUtcNow(), maxAge, settings.StateDir) is { } problem)
        {
            terminal.ReportError("unhealthy: " + problem);
            return ExitCodes.SomeFilesFailed;
        }

        terminal.Out.WriteLine($"healthy: {string.Join(", ", ServiceHealth.Judged(services).Select(s => s.Job))}");
        return ExitCodes.Success;
    }

    /// <summary>How a job served last, in a line: running or not, its last pass, what it waits for, its last error.</summary>
    private string DescribeJob(ServiceStatus job)
    {
        var now = time.GetUtcNow();
        var parts = new List<string>
        {
            job.Watching ? $"running (pid {job.Pid}, alive {AuthCommands.Ago(now - job.Alive)})" : "not running",
            job.PassFinished is { } finished
                ? $"last pass finished {AuthCommands.Ago(now - finished)}: {job.Uploaded} uploaded, {job.AlreadyUploaded} already uploaded, {job.Skipped} skipped, {job.Failed} failed" +
                  (job.NotAttempted > 0 ? $", {job.NotAttempted} not attempted" : "")
                : "no pass finished yet",
        };
        if (job.Profile is { } profile) parts.Insert(0, $"profile {profile}");
        if (job.Pending > 0) parts.Add($"{Plural.Of(job.Pending, "change")} pending");
        if (job.WaitingUntil is { } until && until > now) parts.Add($"waiting for the daily quota until {ServiceReporter.Describe(until)}");
        if (job.LastError is { } error) parts.Add($"last error: {error}");
        return string.Join("; ", parts);
    }

    private static void VerifiedLines(Verification? verified, Action<string> line)
    {
        if (verified is null)
        {
            line("verified:  never ('q2google verify' asks Google whether what was uploaded is still there)");
            return;
        }

        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var sample = verified.SampledPercent is { } percent ? string.Create(inv, $" (a random {percent:0.###}%)") : "";
        var marked = verified.Marked > 0 ? $", {verified.Marked} marked for the next upload" : "";
        var estimate = verified.EstimatedMissing is { } about && verified.Missing > 0 ? string.Create(inv, $" (about {about:N0} in all, extrapolated)") : "";
        var stopped = verified.Stopped is null ? "" : " (it stopped early)";
        line(string.Create(inv, $"verified:  {verified.At.UtcDateTime:yyyy-MM-dd HH:mm} UTC: {verified.Checked:N0} of {Plural.Of(verified.Items, "item")} checked{sample}, ") +
             string.Create(inv, $"{verified.Missing:N0} missing{estimate}{marked}{stopped}"));
        foreach (var path in verified.MissingPaths) line($"  missing: {path}");
        if (verified.Missing > verified.MissingPaths.Count) line(string.Create(inv, $"  and {verified.Missing - verified.MissingPaths.Count:N0} more"));
    }
}
