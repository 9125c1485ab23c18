using System.Threading.Channels;
using Q2Google.Api;
using Q2Google.Failures;
using Q2Google.IO;
using Q2Google.State;

namespace Q2Google.Upload;

/// <summary>
/// <c>verify</c> (docs/cli.md#verify): proves that the media items the journal says q2google created are still
/// in the library, by asking Google for them 50 at a time. The journal is walked twice, one content at a time,
/// so memory does not grow with the library: once to count what is to be checked (the cost is known before the
/// first request), once to check it, a random sample if asked (exactly that many, each item equally likely). The
/// walk runs on its own thread, because it holds the journal it reads while the checks wait for Google; a repair
/// is therefore recorded in another instance, the run's locked journal.
/// </summary>
internal sealed class LibraryVerifier(GooglePhotosApi api, RetryOptions retry, Journal view, Journal? repair, VerifyOptions options,
    Action<VerifyFinding> report)
{
    private readonly MediaItemCheck _check = new(api, retry);
    private readonly int[] _underPath = new int[options.Paths.Count];
    private readonly List<string> _missingPaths = [];

    private sealed record Item(string Hash, string MediaItemId, string? Path);

    /// <summary>Uploaded items the journal holds (under the PATHs given).</summary>
    public int Items { get; private set; }

    /// <summary>Items to check: all of them, or the sample.</summary>
    public int Selected { get; private set; }

    public int Checked { get; private set; }
    public int Present { get; private set; }
    public int Missing { get; private set; }
    public int Unrepairable { get; private set; }
    public int Marked { get; private set; }
    public int Unchecked { get; private set; }

    /// <summary>Why the run ended before every selected item was checked: the daily quota or the request budget (exit 4).</summary>
    public string? StopReason { get; private set; }

    /// <summary>One batchGet per 50 items: what the check costs when Google answers every batch whole.</summary>
    public long EstimatedRequests => (Selected + MediaItemCheck.BatchSize - 1) / MediaItemCheck.BatchSize;

    /// <summary>Selected items neither checked nor left unchecked by Google's answer: the run stopped before them.</summary>
    public int NotChecked => Selected - Checked - Unchecked;

    /// <summary>With a sample: the missing items the whole library likely has, scaled up from the sample.</summary>
    public long? EstimatedMissing => options.SamplePercent is not null && Checked > 0 ? (long)Math.Round((double)Missing * Items / Checked) : null;

    /// <summary>The first missing files (by path, else media item id), for <see cref="Verification"/>.</summary>
    public IReadOnlyList<string> MissingPaths => _missingPaths;

    /// <summary>The PATHs under which the journal holds no uploaded item (a mistyped path, most likely).</summary>
    public IEnumerable<string> EmptyPaths => options.Paths.Where((_, i) => _underPath[i] == 0);

    /// <summary>The first walk: counts the items to check and decides how many will be.</summary>
    public void Plan()
    {
        var items = 0;
        view.ForEachContent(content =>
        {
            if (InScope(content, count: true)) items++;
        });
        Items = items;
        Selected = options.SamplePercent is { } percent && items > 0 ? (int)Math.Clamp(Math.Ceiling(items * percent / 100), 1, items) : items;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var items = Channel.CreateBounded<Item>(new BoundedChannelOptions(2 * MediaItemCheck.BatchSize) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var walk = Task.Factory.StartNew(() => Walk(items.Writer, stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            var batch = new List<Item>(MediaItemCheck.BatchSize);
            await foreach (var item in items.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                batch.Add(item);
                if (batch.Count < MediaItemCheck.BatchSize) continue;
                await CheckAsync(batch, cancellationToken).ConfigureAwait(false);
                batch.Clear();
            }

            if (batch.Count > 0) await CheckAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (FailurePolicy.Classify(e) == FailureKind.Stop)
        {
            StopReason = e is GooglePhotosApiException google ? $"stopped: {google.DailyQuotaAdvice}" : $"stopped: {e.Message}";
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await walk.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            // What was marked stays marked, also when the run stopped early.
            repair?.Sync();
        }
    }

    private bool InScope(ContentState content, bool count = false)
    {
        if (content.MediaItemId is null) return false;
        if (options.Paths.Count == 0) return true;
        if (content.LastPath is not { } path) return false;
        for (var i = 0; i < options.Paths.Count; i++)
        {
            var root = options.Paths[i];
            if (!path.StartsWith(root, StringComparison.Ordinal) || (path.Length > root.Length && path[root.Length] != '/' && root != "/")) continue;
            if (count) _underPath[i]++;
            return true;
        }

        return false;
    }

    /// <summary>The second walk, on its own thread: hands the selected items to the checks, a few batches ahead.</summary>
    private void Walk(ChannelWriter<Item> output, CancellationToken cancellationToken)
    {
        var seen = 0;
        var chosen = 0;
        try
        {
            view.ForEachContentWhile(content =>
            {
                if (!InScope(content)) return true;
                // Selection sampling (Knuth's Algorithm S): of the items left, take as many as are still wanted, each as likely.
                var left = Math.Max(1, Items - seen++);
                if (Random.Shared.NextDouble() * left >= Selected - chosen) return true;
                chosen++;
                var item = new Item(content.Hash, content.MediaItemId!, content.LastPath);
                while (!output.TryWrite(item))
                {
                    if (!output.WaitToWriteAsync(cancellationToken).AsTask().GetAwaiter().GetResult()) return false;
                }

                return chosen < Selected;
            });
            output.TryComplete();
        }
        catch (Exception e)
        {
            output.TryComplete(e);
            throw;
        }
    }

    private async Task CheckAsync(List<Item> batch, CancellationToken cancellationToken)
    {
        // Google refuses a batch that names an id twice; two contents with one item are checked by one id.
        var ids = batch.Select(i => i.MediaItemId).Distinct(StringComparer.Ordinal).ToList();
        var verdicts = await _check.CheckAsync(ids, cancellationToken).ConfigureAwait(false);
        foreach (var item in batch)
        {
            var (verdict, reason) = verdicts[item.MediaItemId];
            switch (verdict)
            {
                case ItemVerdict.Present:
                    Checked++;
                    Present++;
                    break;
                case ItemVerdict.Missing:
                    Checked++;
                    Missing++;
                    var local = item.Path is not null && FileStatus.TryOf(item.Path, followLinks: true, out _) is { IsRegular: true };
                    if (!local) Unrepairable++;
                    if (_missingPaths.Count < Verification.ListedPaths) _missingPaths.Add(item.Path ?? item.MediaItemId);
                    // Without --repair nothing changes: a photo deleted on purpose does not come back unless asked for.
                    repair?.RecordMissing(item.Hash, item.MediaItemId);
                    if (repair is not null) Marked++;
                    report(new VerifyFinding(verdict, item.Path, item.MediaItemId) { LocalFileExists = local, Marked = repair is not null });
                    break;
                default:
                    Unchecked++;
                    report(new VerifyFinding(verdict, item.Path, item.MediaItemId) { Reason = reason });
                    break;
            }
        }
    }
}
