using System.Diagnostics;
using Q2Google.Api;
using Q2Google.Failures;
using Q2Google.State;

namespace Q2Google.Upload;

/// <summary>
/// One job served for as long as it is asked to (docs/architecture.md#serving-a-job): a pass over its PATHs; then,
/// watching, a pass over what changed each time changes settle, and a whole pass now and then; Google's daily
/// quota (or the day's request budget) waited out until midnight in Los Angeles; a network or login failure
/// tried again later instead of ending the service. What it is doing is kept in the job's status file for
/// <c>status</c> and <c>status --health</c>.
/// </summary>
internal sealed class UploadService(UploadJob job, ServiceOptions options, IServiceObserver observer, ServiceStatusFiles? statusFiles, TimeProvider time)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LastRetry = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private ServiceStatus _status = new() { Job = job.Name, Profile = job.Profile, Library = job.Library, Pid = Environment.ProcessId, Watching = options.Watch || options.WaitForQuota };
    private ChangeFeed? _feed;

    /// <summary>Requests counted so far: what the API client sent before a pass (finding the journal) counts with the first.</summary>
    private long _requestsCounted;

    /// <summary>No pass over changes before this: a --settle after the last pass.</summary>
    private DateTimeOffset _changesNotBefore;

    /// <summary>Files the passes looked at since memory was last given back.</summary>
    private long _seenSinceCollected;

    /// <summary>The run outlives a pass (watching, or waiting for the quota): status says a run serves the job.</summary>
    private bool Serves => options.Watch || options.WaitForQuota;

    /// <summary>The last pass: a one-shot run's result, or where a watching run was when it was stopped.</summary>
    public PassResult? LastPass { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ServeAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Stopped (SIGTERM, Ctrl+C, a failure nothing cures): status must not go on saying the job is served.
            if (Serves) Save(s => s with { Watching = false });
        }
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        using var feed = _feed = options.Watch ? new ChangeFeed(job.Paths, time, observer.Note, options.MaxWatches) : null;
        if (feed is not null) observer.Note(feed.AllWatched ? "watching for changes" : "watching for changes where the kernel can see them");
        using var heartbeat = statusFiles is null ? null : time.CreateTimer(_ => Save(s => s), null, Heartbeat, Heartbeat);
        var wholeAt = time.GetUtcNow();
        var retry = FirstRetry;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IReadOnlyList<(int Root, string Relative)> changed = [];
            var whole = time.GetUtcNow() >= wholeAt || (feed?.TakeRescan() ?? false);
            if (!whole && feed is not null && time.GetUtcNow() >= _changesNotBefore) changed = feed.TakeSettled(options.Settle);
            if (whole || changed.Count > 0)
            {
                PassResult result;
                try
                {
                    result = await PassAsync(whole, changed, cancellationToken).ConfigureAwait(false);
                    retry = FirstRetry;
                }
                catch (Exception e) when (options.Watch && FailurePolicy.Classify(e) is FailureKind.Unreachable or FailureKind.Transient or FailureKind.Authentication)
                {
                    // A service outlives a network outage or a revoked login: it says so, and tries again, less and less often.
                    var at = time.GetUtcNow() + retry;
                    var login = FailurePolicy.Classify(e) == FailureKind.Authentication;
                    Save(s => s with { LastError = e.Message, LastErrorAt = time.GetUtcNow(), LoginBroken = login });
                    observer.Trouble(e.Message, at);
                    await WaitUntilAsync(at, cancellationToken).ConfigureAwait(false);
                    retry = retry * 2 > LastRetry ? LastRetry : retry * 2;
                    wholeAt = time.GetUtcNow();
                    continue;
                }

                if (whole) wholeAt = time.GetUtcNow() + (feed is { AllWatched: true } ? options.WatchedRescan : options.Rescan);
                // Files arriving in a stream (a sync, an import) go in batches: one pass per --settle, not one per file.
                _changesNotBefore = time.GetUtcNow() + options.Settle;
                if (result.StopReason is not null)
                {
                    if (!options.Watch && !options.WaitForQuota) return;
                    await WaitForNextDayAsync(result.StoppedByQuota, cancellationToken).ConfigureAwait(false);
                    // What the stop left undone is found by walking everything again.
                    wholeAt = time.GetUtcNow();
                    continue;
                }

                if (!options.Watch) return;
            }

            GiveBackMemoryWhenIdle();
            await WaitUntilAsync(Earliest(wholeAt, NextChangePass()), cancellationToken, wakeForChanges: true).ConfigureAwait(false);
        }
    }

    private async Task<PassResult> PassAsync(bool whole, IReadOnlyList<(int Root, string Relative)> changed, CancellationToken cancellationToken)
    {
        if (job.Turn is { } turn) await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await PassInTurnAsync(whole, changed, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            job.Turn?.Release();
        }
    }

    private async Task<PassResult> PassInTurnAsync(bool whole, IReadOnlyList<(int Root, string Relative)> changed, CancellationToken cancellationToken)
    {
        var output = observer.BeginPass(whole);
        var counts = new PassCounts(output.Report);
        var run = new UploadRun(job.Api, job.Client, job.Journal, job.Options, counts.Report, output.Progress, time, output.Note);
        var clock = Stopwatch.StartNew();
        Save(s => s with { PassStarted = time.GetUtcNow(), WaitingUntil = null });
        var completed = false;
        job.Quota.SetBusy(job.Name, true);
        try
        {
            var items = whole
                ? job.Paths.SelectMany(run.Walker.Walk)
                : changed.SelectMany(c => run.Walker.WalkChanged(job.Paths[c.Root], c.Relative));
            // Watching, a file still being written waits to settle, whichever pass comes upon it.
            if (_feed is { } feed) items = items.Where(i => !feed.Defer(i, options.Settle));
            await run.RunAsync(items, whole, cancellationToken).ConfigureAwait(false);
            completed = true;
        }
        finally
        {
            job.Quota.SetBusy(job.Name, false);
            var requests = job.Api.RequestCount;
            LastPass = counts.Result(run, whole, job.Options.DryRun, requests - _requestsCounted, clock.Elapsed);
            _requestsCounted = requests;
            output.End(LastPass, completed);
        }

        var result = LastPass!;
        _seenSinceCollected += result.Seen;
        Save(s => s with
        {
            PassFinished = time.GetUtcNow(), Uploaded = result.Uploaded, AlreadyUploaded = result.AlreadyUploaded, Skipped = result.Skipped,
            Failed = result.Failed, NotAttempted = result.NotAttempted, LastError = null, LastErrorAt = null, LoginBroken = false,
        });
        return result;
    }

    /// <summary>
    /// A service sits idle between bursts, maybe for days: without a collection the GC keeps what the passes left
    /// until the next burst, and a 512 MB NAS never gets it back (benchmark-watch: 100,000 new photos left 68 MB
    /// resident, 28 MB with this). Once nothing is pending after a thousand files or more, it is given back.
    /// </summary>
    private void GiveBackMemoryWhenIdle()
    {
        if (_seenSinceCollected < 1_000 || _feed is { PendingCount: > 0 }) return;
        _seenSinceCollected = 0;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>Waits for the next quota day (Google's, or the day's budget), then gives the budget back.</summary>
    private async Task WaitForNextDayAsync(bool quota, CancellationToken cancellationToken)
    {
        var until = QuotaDay.NextReset(time.GetUtcNow()) + options.ResetMargin;
        if (quota) job.Quota.Close(until);
        Save(s => s with { WaitingUntil = until });
        observer.Waiting(until, quota);
        await WaitUntilAsync(until, cancellationToken).ConfigureAwait(false);
        Save(s => s with { WaitingUntil = null });
    }

    /// <summary>
    /// Waits until the time comes, a second at a time (or a minute, when nothing could come sooner): the wall clock
    /// is asked again each time, so a machine that slept is not fooled, and settled changes are not kept waiting.
    /// </summary>
    private async Task WaitUntilAsync(DateTimeOffset until, CancellationToken cancellationToken, bool wakeForChanges = false)
    {
        while (time.GetUtcNow() < until)
        {
            if (wakeForChanges && NextChangePass() is { } settled && settled < until) until = settled;
            var step = wakeForChanges && options.ClockCheck > TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : options.ClockCheck;
            var left = until - time.GetUtcNow();
            if (left <= TimeSpan.Zero) break;
            await Task.Delay(left < step ? left : step, time, cancellationToken).ConfigureAwait(false);
            if (wakeForChanges && _feed is { } changes && changes.RescanPending) return;
        }
    }

    /// <summary>When the next pass over changes can start: the first change settled, and a --settle after the last pass.</summary>
    private DateTimeOffset? NextChangePass() =>
        _feed?.NextSettled(options.Settle) is { } settled ? (settled > _changesNotBefore ? settled : _changesNotBefore) : null;

    private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset? b) => b is { } other && other < a ? other : a;

    private void Save(Func<ServiceStatus, ServiceStatus> change)
    {
        if (statusFiles is null) return;
        lock (_gate)
        {
            _status = change(_status) with { Alive = time.GetUtcNow(), Pending = _feed?.PendingCount ?? 0 };
            try
            {
                statusFiles.Write(_status);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The status is for people looking in; the uploads go on without it.
            }
        }
    }
}
