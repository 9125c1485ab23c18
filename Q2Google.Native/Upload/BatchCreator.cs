using System.Threading.Channels;
using Q2Google.Api;
using Q2Google.Failures;

namespace Q2Google.Upload;

/// <summary>
/// The last stage, and only one of it: Google asks for one batchCreate at a time per user
/// (docs/protocol.md#retries). It groups finished uploads by album into batches of up to 50, creates their media
/// items, puts known items into this run's album, and retries Google's transient per-item failures. A token an
/// earlier run saved that Google now refuses goes back to the byte uploaders: its bytes are sent again, and
/// Google maps identical bytes to the item that may already have them, so nothing is duplicated.
/// </summary>
internal sealed class BatchCreator(UploadContext run)
{
    private readonly Dictionary<string, (AlbumTarget? Album, List<CreatorWork> Items)> _groups = new(StringComparer.Ordinal);

    public async Task RunAsync(ChannelReader<CreatorWork> input, ChannelWriter<SendBytes> bytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            CreatorWork? work = null;
            var more = true;
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                idle.CancelAfter(run.Options.BatchIdle);
                try
                {
                    more = await input.WaitToReadAsync(idle.Token).ConfigureAwait(false);
                    if (more) input.TryRead(out work);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Nothing new for a while: send what has gathered rather than hold it back.
                    await FlushAllAsync(bytes, cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }

            if (!more) return;
            switch (work)
            {
                case null:
                    continue;
                case FlushNow:
                    await FlushAllAsync(bytes, cancellationToken).ConfigureAwait(false);
                    continue;
                case CreateItem or AddToAlbum:
                    var file = FileOf(work);
                    var key = file.Album?.Key ?? "";
                    if (!_groups.TryGetValue(key, out var group)) _groups[key] = group = (file.Album, []);
                    group.Items.Add(work);
                    if (group.Items.Count >= GooglePhotosClient.LibraryBatchSize) await FlushAsync(key, bytes, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    private static PreparedFile FileOf(CreatorWork work) => work switch
    {
        CreateItem create => create.File,
        AddToAlbum add => add.File,
        _ => throw new ArgumentOutOfRangeException(nameof(work)),
    };

    private async Task FlushAllAsync(ChannelWriter<SendBytes> bytes, CancellationToken cancellationToken)
    {
        foreach (var key in _groups.Keys.ToList())
        {
            // Items can come back for another try (a transient per-item failure); keep going until none are left.
            while (_groups[key].Items.Count > 0) await FlushAsync(key, bytes, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FlushAsync(string key, ChannelWriter<SendBytes> bytes, CancellationToken cancellationToken)
    {
        var (album, items) = _groups[key];
        if (items.Count == 0) return;
        var take = GooglePhotosClient.LibraryBatchSize;
        string? albumId = null;
        if (album is not null)
        {
            try
            {
                // As many as the album has room for; the rest go to the next album on the next flush.
                (albumId, var room) = await run.Albums.ResolveAsync(album, cancellationToken).ConfigureAwait(false);
                take = Math.Min(take, room);
            }
            catch (GooglePhotosApiException e) when (FailurePolicy.FailsOneFile(e))
            {
                // The bytes are up and their tokens saved: the next run creates these items without sending them again.
                foreach (var work in items) Done(FileOutcome.Failed(FileOf(work).Display, $"could not find or create album \"{album.Title ?? album.Id}\": {e.Message}"), FileOf(work));
                items.Clear();
                return;
            }
        }

        var batch = items.Take(take).ToList();
        items.RemoveRange(0, batch.Count);
        var retry = new List<CreatorWork>();
        var creates = batch.OfType<CreateItem>().ToList();
        var adds = batch.OfType<AddToAlbum>().ToList();
        if (creates.Count > 0) retry.AddRange(await CreateAsync(creates, album, albumId, bytes, cancellationToken).ConfigureAwait(false));
        if (adds.Count > 0) retry.AddRange(await AddAsync(adds, album!, albumId!, cancellationToken).ConfigureAwait(false));
        run.Journal.Sync();
        if (retry.Count > 0)
        {
            // Google's INTERNAL per-item failures are transient: wait a little and put them in a later batch.
            await Task.Delay(TimeSpan.FromSeconds(1), run.Time, cancellationToken).ConfigureAwait(false);
            items.AddRange(retry);
        }
    }

    /// <summary>Creates media items for one batch; returns the items to try again in a later batch.</summary>
    private async Task<List<CreatorWork>> CreateAsync(List<CreateItem> batch, AlbumTarget? album, string? albumId, ChannelWriter<SendBytes> bytes,
        CancellationToken cancellationToken)
    {
        var items = batch.Select(w => new NewMediaItem
        {
            Description = run.Options.Description,
            SimpleMediaItem = new SimpleMediaItem { UploadToken = w.Token, FileName = w.File.Name },
        }).ToList();

        MediaItemBatchCreateResponse response;
        try
        {
            response = (await run.Client.CreateMediaItemsAsync(items, albumId, cancellationToken).ConfigureAwait(false))[0];
        }
        catch (GooglePhotosApiException e) when (album?.Title is not null && albumId is not null && FailurePolicy.Classify(e) == FailureKind.AlbumFull)
        {
            // Google says the album is full (it counts items other tools added too): these go to the next one.
            run.Albums.MarkFull(albumId);
            return [.. batch];
        }
        catch (GooglePhotosApiException e) when ((int)e.StatusCode == 400 && batch.Any(w => w.TokenFromEarlierRun)
                                                  && e.GoogleMessage?.Contains("upload token", StringComparison.OrdinalIgnoreCase) == true)
        {
            // Some saved token is no longer good and Google refuses the whole batch: those files' bytes go up again.
            var again = new List<CreatorWork>();
            foreach (var work in batch)
            {
                if (work.TokenFromEarlierRun) await SendAgainAsync(work, e.GoogleMessage!, bytes, cancellationToken).ConfigureAwait(false);
                else again.Add(work);
            }

            return again;
        }
        catch (GooglePhotosApiException e) when (FailurePolicy.FailsOneFile(e))
        {
            foreach (var work in batch) Done(FileOutcome.Failed(work.File.Display, $"Google refused the batch: {e.Message}"), work.File);
            return [];
        }

        var results = response.NewMediaItemResults ?? [];
        var retry = new List<CreatorWork>();
        for (var i = 0; i < batch.Count; i++)
        {
            var work = batch[i];
            // Match by token; fall back to position only when Google answered for exactly the items asked.
            var result = results.FirstOrDefault(r => r.UploadToken == work.Token) ?? (results.Count == batch.Count ? results[i] : null);
            if (result?.Status?.IsOk ?? (result?.MediaItem is not null))
            {
                var media = result!.MediaItem!;
                run.Journal.RecordCreated(work.File.Hash, media.Id, media.ProductUrl, albumId, work.File.Name);
                run.Claims.Resolve(work.File.Hash, run.Journal.Content(work.File.Hash));
                Done(new FileOutcome(work.File.Display, OutcomeStatus.Uploaded)
                {
                    MediaItemId = media.Id, ProductUrl = media.ProductUrl, AlbumId = albumId, Bytes = work.File.Size,
                }, null);
                continue;
            }

            var code = result?.Status?.Code;
            var message = result?.Status?.Message ?? "Google's answer did not mention this file";
            if (code == 13 && work.Attempt < run.Options.CreateAttempts)
            {
                retry.Add(work with { Attempt = work.Attempt + 1 });
            }
            else if (work.TokenFromEarlierRun && code is 3 or 5)
            {
                // A saved token that no longer works, most likely spent by a batchCreate whose answer a crash lost.
                await SendAgainAsync(work, message, bytes, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                run.Journal.RecordDiscarded(work.File.Hash, message);
                Done(FileOutcome.Failed(work.File.Display, $"Google refused to create the media item (code {code}): {message}"), work.File);
            }
        }

        return retry;
    }

    /// <summary>
    /// A token saved by an earlier run was refused, so its media item may or may not exist: the run may have been
    /// killed after Google created it and before the journal heard. Sending the bytes again settles it without a
    /// duplicate. The uploaders do that, so this batch and the next are not held up by one file's bytes.
    /// </summary>
    private async Task SendAgainAsync(CreateItem work, string refusal, ChannelWriter<SendBytes> bytes, CancellationToken cancellationToken)
    {
        run.Journal.RecordDiscarded(work.File.Hash, refusal);
        run.Progress.Queued(work.File.Size);
        run.Work.StartSending();
        await bytes.WriteAsync(new SendBytes(work.File, Known: null), cancellationToken).ConfigureAwait(false);
        run.Work.DoneCreating();
    }

    /// <summary>Puts media items uploaded earlier into this run's album; returns the items to try again later.</summary>
    private async Task<List<CreatorWork>> AddAsync(List<AddToAlbum> batch, AlbumTarget album, string albumId, CancellationToken cancellationToken)
    {
        var missing = batch.Where(w => !(run.Journal.Content(w.File.Hash) is { } content && run.Albums.Holds(album, content))).ToList();
        var ids = missing.Select(w => w.MediaItemId).Distinct().ToList();
        string? error = null;
        if (ids.Count > 0)
        {
            try
            {
                // Safe to repeat: adding an item that is already in the album changes nothing.
                await Backoff.RetryAsync(run.Client.Retry, () => run.Api.BatchAddMediaItemsAsync(albumId, ids, cancellationToken), cancellationToken).ConfigureAwait(false);
                foreach (var work in missing) run.Journal.RecordAdded(work.File.Hash, albumId);
            }
            catch (GooglePhotosApiException e) when (album.Title is not null && FailurePolicy.Classify(e) == FailureKind.AlbumFull)
            {
                run.Albums.MarkFull(albumId);
                return [.. batch];
            }
            catch (GooglePhotosApiException e) when (FailurePolicy.FailsOneFile(e))
            {
                error = e.Message;
            }
        }

        foreach (var work in batch)
        {
            Done(error is not null && missing.Contains(work)
                ? FileOutcome.Failed(work.File.Display, $"uploaded earlier, but adding it to the album failed: {error}")
                : new FileOutcome(work.File.Display, OutcomeStatus.AlreadyUploaded)
                {
                    MediaItemId = work.MediaItemId, ProductUrl = work.ProductUrl, AlbumId = albumId, Bytes = work.File.Size,
                }, work.File);
        }

        return [];
    }

    /// <summary>An item leaves the creator with its final word.</summary>
    private void Done(FileOutcome outcome, PreparedFile? file)
    {
        run.Finish(outcome, file);
        run.Work.DoneCreating();
    }
}
