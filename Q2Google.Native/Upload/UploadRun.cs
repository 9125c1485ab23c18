using System.Threading.Channels;
using Q2Google.Api;
using Q2Google.Failures;
using Q2Google.State;

namespace Q2Google.Upload;

/// <summary>
/// One <c>upload</c> run, as a short pipeline (docs/architecture.md#the-upload-pipeline): the walk streams files
/// into two <see cref="FilePreparer"/>s, which feed up to <c>--concurrency</c> <see cref="ByteUploader"/>s (as many at
/// once as <see cref="UploadSlots"/> finds the line takes), which feed one <see cref="BatchCreator"/>. Every step is
/// journaled as it happens, so a run killed at any instant continues where it stopped. This class owns the channels
/// between the stages, knows when the work is done, and stops every stage when Google's daily quota, the request
/// budget, a fatal failure or Ctrl+C ends the run.
/// </summary>
internal sealed class UploadRun
{
    private readonly UploadContext _run;
    private readonly TreeWalker _walker;
    private readonly CancellationTokenSource _stop = new();
    private Exception? _fatal;
    private CancellationToken _token;
    private int _seen;

    public UploadRun(GooglePhotosApi api, GooglePhotosClient client, Journal journal, UploadOptions options,
        Action<FileOutcome> report, IUploadProgress progress, TimeProvider time, Action<string> note)
    {
        _run = new UploadContext(api, client, journal, options, report, progress, time, note);
        _walker = new TreeWalker(options.Include, options.Exclude);
    }

    /// <summary>Why the run ended early, if it did: the daily quota or the request budget (exit 4).</summary>
    public string? StopReason { get; private set; }

    /// <summary>It was Google's daily quota that ended the run (not <c>--max-requests</c>).</summary>
    public bool StoppedByQuota { get; private set; }

    /// <summary>A dry run's estimate of the API requests a real run would make.</summary>
    public long EstimatedRequests => _run.EstimatedRequests;

    /// <summary>Everything the walk found, files and skipped entries: what the summary's counts add up to.</summary>
    public int Seen => Volatile.Read(ref _seen);

    /// <summary>The walk this run's rules make (its globs): a watch asks it about what changed.</summary>
    public TreeWalker Walker => _walker;

    /// <summary>Uploads what <see cref="Walker"/> found: everything, or what a watch saw change (<see cref="TreeWalker.WalkChanged"/>).</summary>
    /// <param name="whole">The whole of every PATH is walked: only then can a glob be said to have matched nothing.</param>
    public async Task RunAsync(IEnumerable<WalkItem> items, bool whole, CancellationToken cancellationToken)
    {
        // An --album title that could mean two albums is the person's to settle, before any byte is sent.
        if (_run.Options is { Album: { } album, DryRun: false }) await _run.Albums.CheckTitleAsync(AlbumTitles.Fit(album, 1), cancellationToken).ConfigureAwait(false);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var token = _token = linked.Token;
        var found = Channel.CreateBounded<WalkItem>(new BoundedChannelOptions(256) { SingleWriter = true });
        // Bounded, so the preparers stay only a little ahead of the uploads (memory stays flat on big trees). The
        // creator also writes here (a refused token sends the bytes again); it may wait its turn, but never for
        // long: the uploaders drain this channel without ever waiting on the creator (theirs is unbounded).
        var bytes = Channel.CreateBounded<SendBytes>(new BoundedChannelOptions(Math.Max(2, _run.Options.Concurrency * 2)));
        var creations = Channel.CreateUnbounded<CreatorWork>(new UnboundedChannelOptions { SingleReader = true });
        _run.Work = new WorkInFlight(
            bytesDrained: () => creations.Writer.TryWrite(FlushNow.Instance),
            allDone: () =>
            {
                bytes.Writer.TryComplete();
                creations.Writer.TryComplete();
            });

        // Each stage on its own task: the walk does blocking directory reads, and must not hold the others back.
        var walk = Task.Run(() => GuardAsync(() => WalkAsync(items, whole, found.Writer, token), found.Writer), CancellationToken.None);
        // A dry run only reads: one preparer lists the files in the walk's sorted order, the same on every run.
        var preparers = Enumerable.Range(0, _run.Options.DryRun ? 1 : 2)
            .Select(_ => Task.Run(() => GuardAsync(() => new FilePreparer(_run).RunAsync(found.Reader, bytes.Writer, creations.Writer, token)), CancellationToken.None))
            .ToArray();
        var prepared = Task.WhenAll(preparers).ContinueWith(_ => _run.Work.DonePreparing(), TaskScheduler.Default);
        // As many uploaders as the limit may ever allow; the slots decide how many send at a time.
        var most = Math.Max(1, _run.Options.Concurrency);
        using var slots = new UploadSlots(_run.Options.InitialConcurrency, most, _run.Time);
        var uploaders = Enumerable.Range(0, most)
            .Select(_ => Task.Run(() => GuardAsync(() => new ByteUploader(_run, slots).RunAsync(bytes.Reader, creations.Writer, token)), CancellationToken.None))
            .ToArray();
        var creator = Task.Run(() => GuardAsync(() => new BatchCreator(_run).RunAsync(creations.Reader, bytes.Writer, token)), CancellationToken.None);
        // A stopped run resolves nothing more: the stages return, and the copies waiting on a first upload are let go.
        using var stopped = token.Register(() =>
        {
            _run.Claims.ReleaseAll();
            found.Writer.TryComplete();
            bytes.Writer.TryComplete();
            creations.Writer.TryComplete();
        });

        await Task.WhenAll([walk, prepared, .. uploaders, creator]).ConfigureAwait(false);
        _run.Journal.Sync();
        if (_fatal is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_fatal);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Runs a stage. A failure that ends the run (quota, budget, authentication, an unusable journal) stops every
    /// stage instead of leaving the others waiting on channels that will never be fed.
    /// </summary>
    private async Task GuardAsync(Func<Task> stage, ChannelWriter<WalkItem>? completes = null)
    {
        try
        {
            await stage().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested || StopReason is not null)
        {
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: every stage sees it; RunAsync rethrows it once all have stopped.
        }
        catch (ChannelClosedException) when (_token.IsCancellationRequested)
        {
            // A stopping run closes the channels under the stages' feet.
        }
        catch (Exception e) when (FailurePolicy.Classify(e) == FailureKind.Stop)
        {
            if (StopReason is null) StoppedByQuota = e is GooglePhotosApiException;
            StopReason ??= e is GooglePhotosApiException api ? $"stopped: {api.DailyQuotaAdvice}" : $"stopped: {e.Message}; run again to continue";
            await _stop.CancelAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _fatal, e, null);
            await _stop.CancelAsync().ConfigureAwait(false);
        }
        finally
        {
            completes?.TryComplete();
        }
    }

    private async Task WalkAsync(IEnumerable<WalkItem> items, bool whole, ChannelWriter<WalkItem> output, CancellationToken cancellationToken)
    {
        var files = 0;
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Interlocked.Increment(ref _seen);
            if (item is UploadCandidate) files++;
            // Skips go the files' way, so they are reported in the walk's order among them.
            await output.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        }

        _run.Progress.WalkCompleted(files);
        output.TryComplete();
        if (!whole) return;
        foreach (var pattern in _walker.UnmatchedIncludes)
        {
            // Globs are matched against the path below each PATH, so a bare "*.jpg" reaches only its top folder.
            var hint = pattern.Contains('/', StringComparison.Ordinal) || pattern.StartsWith("**", StringComparison.Ordinal)
                ? "check the pattern: it is matched against each file's path below the PATH given"
                : $"it is matched against each file's path below the PATH given, so it only reaches files right in it; for every folder use --include '**/{pattern}'";
            _run.Note($"--include '{pattern}' matched no file: {hint}");
        }
    }
}
