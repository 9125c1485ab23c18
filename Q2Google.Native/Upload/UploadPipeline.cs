using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using Q2Google.Api;
using Q2Google.Auth;
using Q2Google.Cli;
using Q2Google.IO;
using Q2Google.State;

using Q2Google.Http;

using Q2Google.Failures;

namespace Q2Google.Upload;

/// <summary>
/// One <c>upload</c> run: the walk streams files into a prepare stage (journal fast path, else classify and
/// hash), which feeds <c>--concurrency</c> parallel byte uploads, which feed one serial batch creator
/// (batches of up to 50, per album). Every step is journaled as it happens, so a run killed at any instant
/// continues where it stopped. Google's daily quota, a request budget or Ctrl+C stop the run cleanly.
/// </summary>
public sealed class UploadPipeline
{
    private readonly GooglePhotosApi _api;
    private readonly GooglePhotosClient _client;
    private readonly Journal _journal;
    private readonly UploadOptions _options;
    private readonly Action<FileReport> _report;
    private readonly IUploadProgress _progress;
    private readonly TimeProvider _time;
    private readonly TreeWalker _walker;
    private readonly AlbumResolver _albums;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ContentState?>> _claims = new(StringComparer.Ordinal);
    private readonly List<Task> _duplicates = [];
    private readonly CancellationTokenSource _stop = new();
    private Exception? _fatal;
    private long _estimatedRequests;
    private int _seen;

    public UploadPipeline(GooglePhotosApi api, GooglePhotosClient client, Journal journal, UploadOptions options,
        Action<FileReport> report, IUploadProgress progress, TimeProvider time, Action<string> note)
    {
        _api = api;
        _client = client;
        _journal = journal;
        _options = options;
        _report = report;
        _progress = progress;
        _time = time;
        _walker = new TreeWalker(options.Include, options.Exclude);
        _albums = new AlbumResolver(api, journal, options.AlbumItemLimit, client.Retry, note);
    }

    /// <summary>Why the run ended early, if it did: the daily quota or the request budget (exit 4).</summary>
    public string? StopReason { get; private set; }

    /// <summary>A dry run's estimate of the API requests a real run would make.</summary>
    public long EstimatedRequests => Interlocked.Read(ref _estimatedRequests);

    /// <summary>Everything the walk found, files and skipped entries: what the summary's counts add up to.</summary>
    public int Seen => Volatile.Read(ref _seen);

    /// <param name="Hash">The content hash; empty while <see cref="Hashing"/> still computes it.</param>
    private sealed record Prepared(UploadCandidate File, string Hash, long Size, long Modified, AlbumTarget? Album)
    {
        public string Name => Path.GetFileName(File.FullPath);

        /// <summary>A large new file's full hash, computed while its bytes already go up.</summary>
        public Task<string>? Hashing { get; init; }

        public string? Quick { get; init; }
    }

    /// <summary>Something for the batch creator: new bytes to turn into a media item, or a known item to put into an album.</summary>
    private abstract record CreatorWork(Prepared File);

    private sealed record CreateWork(Prepared File, string Token, bool TokenFromEarlierRun, int Attempt = 1) : CreatorWork(File);

    private sealed record AddWork(Prepared File, string MediaItemId, string? ProductUrl) : CreatorWork(File);

    /// <summary>Every upload is done: send partial batches now instead of waiting for the idle timer.</summary>
    private sealed record FlushNow() : CreatorWork(new Prepared(new UploadCandidate("", "", "", "", default), "", 0, 0, null));

    public async Task RunAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var token = linked.Token;
        var candidates = Channel.CreateBounded<UploadCandidate>(new BoundedChannelOptions(256) { SingleWriter = true });
        var uploads = Channel.CreateBounded<(Prepared File, ContentState? Known)>(new BoundedChannelOptions(Math.Max(2, _options.Concurrency * 2)));
        var creations = Channel.CreateUnbounded<CreatorWork>(new UnboundedChannelOptions { SingleReader = true });

        // Each stage on its own task: the walk does blocking directory reads, and must not hold the others back.
        var walk = Task.Run(() => Guard(() => WalkAsync(paths, candidates.Writer, token), candidates.Writer), CancellationToken.None);
        var preparers = Enumerable.Range(0, 2)
            .Select(_ => Task.Run(() => Guard(() => PrepareAsync(candidates.Reader, uploads.Writer, creations.Writer, token), null), CancellationToken.None)).ToArray();
        var prepared = Task.WhenAll(preparers).ContinueWith(_ => uploads.Writer.TryComplete(), TaskScheduler.Default);
        var uploaders = Enumerable.Range(0, Math.Max(1, _options.Concurrency))
            .Select(_ => Task.Run(() => Guard(() => UploadAsync(uploads.Reader, creations.Writer, token), null), CancellationToken.None)).ToArray();
        var uploaded = Task.WhenAll(uploaders).ContinueWith(async _ =>
        {
            await prepared.ConfigureAwait(false);
            // Copies of a file wait for its media item: get the last partial batches created without delay.
            creations.Writer.TryWrite(new FlushNow());
            Task[] duplicates;
            lock (_duplicates) duplicates = [.. _duplicates];
            await Task.WhenAll(duplicates).ConfigureAwait(false);
            creations.Writer.TryComplete();
        }, TaskScheduler.Default).Unwrap();
        var creator = Task.Run(() => Guard(() => CreateAsync(creations.Reader, token), null), CancellationToken.None);
        // A stopped run resolves nothing more: release the copies waiting on a first upload that will not come.
        using var release = token.Register(() =>
        {
            foreach (var claim in _claims.Values) claim.TrySetResult(null);
        });

        await Task.WhenAll(walk, prepared, uploaded, creator).ConfigureAwait(false);
        _journal.Sync();
        if (_fatal is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_fatal);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Runs a stage; a stop (quota, budget) or a fatal error (authentication) cancels every stage instead of
    /// leaving the others waiting on channels that will never be fed.
    /// </summary>
    private async Task Guard(Func<Task> stage, ChannelWriter<UploadCandidate>? completes)
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
        catch (Exception e) when (IsStop(e))
        {
            Stop(e);
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

    private static bool IsStop(Exception e) => e is RequestBudgetExhaustedException or GooglePhotosApiException { IsDailyQuotaExhausted: true };

    private void Stop(Exception e)
    {
        StopReason ??= e is RequestBudgetExhaustedException budget
            ? $"stopped: {budget.Message}; run again to continue"
            : $"stopped: Google's daily quota for this OAuth client is used up ({((GooglePhotosApiException)e).GoogleMessage}); run again after midnight Pacific time and it continues";
        _stop.Cancel();
    }

    /// <summary>
    /// Failures that end the whole run rather than one file: authentication, scopes, an untrusted certificate, a
    /// configuration that cannot work, and a journal that can no longer be written (going on would forget uploads).
    /// </summary>
    private static bool IsFatal(Exception e) =>
        e is AuthenticationRequiredException or TokenStoreException or TlsVerificationException or JournalWriteException
            or ConfigurationException or UnsafeFileException
            or GooglePhotosApiException { StatusCode: HttpStatusCode.Unauthorized } or GooglePhotosApiException { IsInsufficientScope: true };

    private async Task WalkAsync(IReadOnlyList<string> paths, ChannelWriter<UploadCandidate> output, CancellationToken cancellationToken)
    {
        var files = 0;
        foreach (var path in paths)
        {
            foreach (var item in _walker.Walk(path))
            {
                cancellationToken.ThrowIfCancellationRequested();
                Interlocked.Increment(ref _seen);
                switch (item)
                {
                    case UploadCandidate candidate:
                        files++;
                        await output.WriteAsync(candidate, cancellationToken).ConfigureAwait(false);
                        break;
                    case WalkSkip skip:
                        Report(new FileReport { Path = skip.Display, Status = skip.IsFailure ? "failed" : "skipped", Reason = skip.IsFailure ? skip.Detail : skip.Reason });
                        break;
                }
            }
        }

        _progress.WalkCompleted(files);
        output.TryComplete();
    }

    private async Task PrepareAsync(ChannelReader<UploadCandidate> input, ChannelWriter<(Prepared, ContentState?)> uploads,
        ChannelWriter<CreatorWork> creations, CancellationToken cancellationToken)
    {
        await foreach (var file in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await PrepareOneAsync(file, uploads, creations, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Report(Failed(file.Display, e is UnauthorizedAccessException ? "permission denied: the file cannot be read; fix its permissions" : e.Message), null);
            }
        }
    }

    private async Task PrepareOneAsync(UploadCandidate file, ChannelWriter<(Prepared, ContentState?)> uploads,
        ChannelWriter<CreatorWork> creations, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(file.FullPath);
        if (FileClassifier.SkipByName(name) is { } byName)
        {
            Report(new FileReport { Path = file.Display, Status = "skipped", Reason = byName });
            return;
        }

        var (size, modified) = (file.Status.Size, file.Status.ModifiedTicks);
        var hash = _options.Force ? null : _journal.HashOf(file.FullPath, size, modified);
        if (hash is null)
        {
            var verdict = Classify(file.FullPath, name, size);
            if (!verdict.Accepted)
            {
                Report(new FileReport { Path = file.Display, Status = "skipped", Reason = verdict.SkipReason, Detail = verdict.Detail, Bytes = size });
                return;
            }

            if (_options.DryRun)
            {
                Plan(file, size);
                return;
            }

            string? quick = null;
            if (size > _options.RawUploadLimit)
            {
                // Reading a big file once to hash it and again to send it would double the time it takes: unless
                // its sampled fingerprint is known (then it may be a moved copy and the full hash decides), its
                // bytes start going up now and the full hash is computed alongside.
                quick = QuickFingerprint.Compute(file.FullPath);
                if (_journal.HashByQuick(quick) is null)
                {
                    var pending = new Prepared(file, "", size, modified, AlbumTarget.For(_options, file))
                    {
                        Hashing = Task.Run(() => ContentHash.OfFileAsync(file.FullPath, cancellationToken), cancellationToken),
                        Quick = quick,
                    };
                    _progress.Queued(size);
                    await uploads.WriteAsync((pending, null), cancellationToken).ConfigureAwait(false);
                    return;
                }
            }

            hash = await ContentHash.OfFileAsync(file.FullPath, cancellationToken).ConfigureAwait(false);
            if (FileStatus.TryOf(file.FullPath, followLinks: true, out _) is not { } after || after.Size != size || after.ModifiedTicks != modified)
            {
                Report(Failed(file.Display, "the file changed while it was being read; it will be uploaded next run"), null);
                return;
            }

            _journal.RecordPath(file.FullPath, size, modified, hash, quick);
        }

        var prepared = new Prepared(file, hash, size, modified, AlbumTarget.For(_options, file));
        var known = _journal.Content(hash);
        if (known?.IsCreated == true && !_options.Force)
        {
            Known(prepared, known, creations);
            return;
        }

        if (_options.DryRun)
        {
            Plan(file, size);
            return;
        }

        // The same bytes twice in one run (a copy in another folder): the first one uploads, the rest wait for it.
        var claim = new TaskCompletionSource<ContentState?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_claims.TryAdd(hash, claim))
        {
            var first = _claims[hash].Task;
            lock (_duplicates)
            {
                _duplicates.Add(first.ContinueWith(done =>
                {
                    if (cancellationToken.IsCancellationRequested) return;
                    if (done.Result is { IsCreated: true } content) Known(prepared, content, creations);
                    else Report(Failed(file.Display, "a file with the same content could not be uploaded in this run (see its error)"), null);
                }, TaskScheduler.Default));
            }

            return;
        }

        var now = _time.GetUtcNow();
        if (known?.Token is { } token && known.TokenAt > now - _options.ReuseWithin)
        {
            // The bytes went up in an earlier run; only the media item is missing.
            await creations.WriteAsync(new CreateWork(prepared, token, TokenFromEarlierRun: true), cancellationToken).ConfigureAwait(false);
            return;
        }

        _progress.Queued(size - (known?.SessionUrl is not null && known.SessionAt > now - _options.ReuseWithin ? known.Offset : 0));
        await uploads.WriteAsync((prepared, known), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Content already in the library: report it, after putting it into this run's album if it is not there yet.</summary>
    private void Known(Prepared file, ContentState content, ChannelWriter<CreatorWork> creations)
    {
        if (file.Album is not null && !_options.DryRun && !_albums.Holds(file.Album, content))
        {
            creations.TryWrite(new AddWork(file, content.MediaItemId!, content.ProductUrl));
            return;
        }

        Report(new FileReport
        {
            Path = file.File.Display, Status = "already-uploaded", MediaItemId = content.MediaItemId, ProductUrl = content.ProductUrl,
            AlbumId = content.Albums.LastOrDefault(), Bytes = file.Size,
        });
    }

    private void Plan(UploadCandidate file, long size)
    {
        var requests = size <= _options.RawUploadLimit ? 1 : 1 + (size + _options.ChunkSize - 1) / _options.ChunkSize;
        Interlocked.Add(ref _estimatedRequests, requests);
        Report(new FileReport { Path = file.Display, Status = "planned", Bytes = size });
    }

    private FileClassifier.Verdict Classify(string path, string name, long size)
    {
        Span<byte> head = stackalloc byte[MagicBytes.HeaderLength];
        using var handle = RegularFile.OpenRead(path);
        var read = RandomAccess.Read(handle, head, 0);
        return FileClassifier.Classify(name, size, head[..read]);
    }

    private async Task UploadAsync(ChannelReader<(Prepared File, ContentState? Known)> input, ChannelWriter<CreatorWork> creations, CancellationToken cancellationToken)
    {
        await foreach (var (file, known) in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await UploadOneAsync(file, known, cancellationToken).ConfigureAwait(false) is not var (uploaded, token)) continue;
            if (file.Hashing is not null && _journal.Content(uploaded.Hash) is { IsCreated: true } content && !_options.Force)
            {
                // Hashed while sending: the content turned out to be known after all (another copy in this run).
                _journal.RecordDiscarded(uploaded.Hash, "content already in the library");
                Known(uploaded, content, creations);
                continue;
            }

            _journal.RecordToken(uploaded.Hash, token);
            await creations.WriteAsync(new CreateWork(uploaded, token, TokenFromEarlierRun: false), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends one file's bytes (resuming a saved session when there is a fresh one); returns the file, with its
    /// hash settled, and its upload token (not journaled yet: the caller decides what it is for).
    /// </summary>
    private async Task<(Prepared File, string Token)?> UploadOneAsync(Prepared file, ContentState? known, CancellationToken cancellationToken)
    {
        _progress.Started(file.File.Display);
        var fresh = known?.SessionUrl is not null && known.SessionAt > _time.GetUtcNow() - _options.ReuseWithin && _api.OwnsSessionUrl(known.SessionUrl);
        // A file still being hashed has no journal key yet: its session is written down once the hash exists.
        // A kill before that costs only a fresh start of this one file.
        var journaled = file.Hashing is null;
        string? sessionUrl = null;
        long granularity = 0;
        void JournalSessionOnceHashed()
        {
            if (journaled || sessionUrl is null || file.Hashing is not { IsCompletedSuccessfully: true } hashing) return;
            _journal.RecordPath(file.File.FullPath, file.Size, file.Modified, hashing.Result, file.Quick);
            _journal.RecordSession(hashing.Result, sessionUrl, granularity);
            journaled = true;
        }

        try
        {
            var verdict = Classify(file.File.FullPath, file.Name, file.Size);
            if (!Unchanged(file) || !verdict.Accepted)
            {
                Report(Failed(file.File.Display, "the file changed after it was scanned; it will be uploaded next run"), file);
                return null;
            }

            var session = await _client.UploadFileAsync(file.Name, file.File.FullPath, new UploadFileOptions
            {
                ContentType = verdict.MimeType,
                ResumeUrl = fresh ? known!.SessionUrl : null,
                ResumeGranularity = fresh ? known!.Granularity : null,
                SessionStarted = (started, _) =>
                {
                    if (file.Hashing is null)
                    {
                        _journal.RecordSession(file.Hash, started.UploadUrl!, started.ChunkGranularity!.Value);
                    }
                    else
                    {
                        (sessionUrl, granularity, journaled) = (started.UploadUrl, started.ChunkGranularity!.Value, false);
                        JournalSessionOnceHashed();
                    }

                    return ValueTask.CompletedTask;
                },
                BytesConfirmed = offset =>
                {
                    if (offset >= file.Size) return;
                    JournalSessionOnceHashed();
                    if (journaled) _journal.RecordOffset(file.Hashing?.Result ?? file.Hash, offset);
                },
                BytesSent = _progress.Sent,
            }, cancellationToken).ConfigureAwait(false);

            if (file.Hashing is { } pendingHash)
            {
                var hash = await pendingHash.ConfigureAwait(false);
                if (!journaled) _journal.RecordPath(file.File.FullPath, file.Size, file.Modified, hash, file.Quick);
                file = file with { Hash = hash, Hashing = null };
            }

            // The bytes sent must be the bytes hashed: a file rewritten meanwhile is not recorded under the old hash.
            if (!Unchanged(file))
            {
                _journal.RecordDiscarded(file.Hash, "changed while uploading");
                Report(Failed(file.File.Display, "the file changed while it was being uploaded; it will be uploaded next run"), file);
                return null;
            }

            _progress.Uploaded(file.File.Display);
            return (file, session.UploadToken!);
        }
        catch (Exception e) when (e is not OperationCanceledException && !IsStop(e) && !IsFatal(e))
        {
            var reason = e switch
            {
                FileChangedException => "the file changed while it was being uploaded; it will be uploaded next run",
                UnauthorizedAccessException => "permission denied: the file cannot be read; fix its permissions",
                FileNotFoundException or DirectoryNotFoundException => "the file disappeared before it could be uploaded",
                _ => e.Message,
            };
            Report(Failed(file.File.Display, reason), file);
            return null;
        }
    }

    private static bool Unchanged(Prepared file) =>
        FileStatus.TryOf(file.File.FullPath, followLinks: true, out _) is { IsRegular: true } now && now.Size == file.Size && now.ModifiedTicks == file.Modified;

    /// <summary>The single batch creator: one batchCreate at a time per user, as Google asks (docs/protocol.md#retries).</summary>
    private async Task CreateAsync(ChannelReader<CreatorWork> input, CancellationToken cancellationToken)
    {
        var groups = new Dictionary<string, (AlbumTarget? Album, List<CreatorWork> Items)>(StringComparer.Ordinal);
        while (true)
        {
            CreatorWork? work = null;
            var more = true;
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                idle.CancelAfter(_options.BatchIdle);
                try
                {
                    more = await input.WaitToReadAsync(idle.Token).ConfigureAwait(false);
                    if (more) input.TryRead(out work);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Nothing new for a while: send what has gathered rather than hold it back.
                    foreach (var key in groups.Keys.ToList()) await FlushAsync(groups, key, cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }

            if (!more) break;
            if (work is null) continue;
            if (work is FlushNow)
            {
                foreach (var key in groups.Keys.ToList()) await FlushAsync(groups, key, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var groupKey = work.File.Album?.Key ?? "";
            if (!groups.TryGetValue(groupKey, out var group)) groups[groupKey] = group = (work.File.Album, []);
            group.Items.Add(work);
            if (group.Items.Count >= GooglePhotosClient.LibraryBatchSize) await FlushAsync(groups, groupKey, cancellationToken).ConfigureAwait(false);
        }

        foreach (var key in groups.Keys.ToList())
        {
            // Items can come back for another try (a transient per-item failure); keep going until none are left.
            while (groups.TryGetValue(key, out var group) && group.Items.Count > 0) await FlushAsync(groups, key, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FlushAsync(Dictionary<string, (AlbumTarget? Album, List<CreatorWork> Items)> groups, string key, CancellationToken cancellationToken)
    {
        var (album, items) = groups[key];
        if (items.Count == 0) return;
        var take = GooglePhotosClient.LibraryBatchSize;
        string? albumId = null;
        if (album is not null)
        {
            try
            {
                // As many as the album has room for; the rest go to the next album on the next flush.
                (albumId, var room) = await _albums.ResolveAsync(album, cancellationToken).ConfigureAwait(false);
                take = Math.Min(take, room);
            }
            catch (GooglePhotosApiException e) when (!IsStop(e) && !IsFatal(e))
            {
                // The bytes are up and their tokens saved: the next run creates these items without sending them again.
                foreach (var work in items) Report(Failed(work.File.File.Display, $"could not find or create album \"{album.Title ?? album.Id}\": {e.Message}"), work.File);
                items.Clear();
                return;
            }
        }

        var batch = items.Take(take).ToList();
        items.RemoveRange(0, batch.Count);
        var creates = batch.OfType<CreateWork>().ToList();
        var adds = batch.OfType<AddWork>().ToList();

        var retry = new List<CreatorWork>();
        if (creates.Count > 0) retry.AddRange(await CreateBatchAsync(creates, album, albumId, cancellationToken).ConfigureAwait(false));
        if (adds.Count > 0) retry.AddRange(await AddBatchAsync(adds, album!, albumId!, cancellationToken).ConfigureAwait(false));
        _journal.Sync();
        if (retry.Count > 0)
        {
            // Google's INTERNAL per-item failures are transient: wait a little and put them in a later batch.
            await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
            items.AddRange(retry);
        }
    }

    /// <summary>Creates media items for one batch; returns the items to try again later.</summary>
    private async Task<List<CreatorWork>> CreateBatchAsync(List<CreateWork> batch, AlbumTarget? album, string? albumId, CancellationToken cancellationToken)
    {
        var items = batch.Select(w => new NewMediaItem
        {
            Description = _options.Description,
            SimpleMediaItem = new SimpleMediaItem { UploadToken = w.Token, FileName = w.File.Name },
        }).ToList();

        MediaItemBatchCreateResponse response;
        try
        {
            response = (await _client.CreateMediaItemsAsync(items, albumId, cancellationToken).ConfigureAwait(false))[0];
        }
        catch (GooglePhotosApiException e) when (album?.Title is not null && albumId is not null && IsAlbumFull(e))
        {
            // Google says the album is full (it counts items other tools added too): these go to the next one.
            _albums.MarkFull(albumId);
            return [.. batch];
        }
        catch (GooglePhotosApiException e) when ((int)e.StatusCode == 400 && batch.Any(w => w.TokenFromEarlierRun)
                                                  && e.GoogleMessage?.Contains("upload token", StringComparison.OrdinalIgnoreCase) == true)
        {
            // Some saved token is no longer good and Google refuses the whole batch: send those files' bytes again.
            var again = new List<CreatorWork>();
            foreach (var work in batch)
            {
                if (!work.TokenFromEarlierRun) again.Add(work);
                else if (await RecoverTokenAsync(work, e.GoogleMessage!, cancellationToken).ConfigureAwait(false) is { } recovered) again.Add(recovered);
            }

            return again;
        }
        catch (GooglePhotosApiException e) when (!IsStop(e) && !IsFatal(e))
        {
            foreach (var work in batch) Report(Failed(work.File.File.Display, $"Google refused the batch: {e.Message}"), work.File);
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
                _journal.RecordCreated(work.File.Hash, media.Id, media.ProductUrl, albumId, work.File.Name);
                Resolve(work.File.Hash);
                Report(new FileReport
                {
                    Path = work.File.File.Display, Status = "uploaded", MediaItemId = media.Id, ProductUrl = media.ProductUrl, AlbumId = albumId, Bytes = work.File.Size,
                });
                continue;
            }

            var code = result?.Status?.Code;
            var message = result?.Status?.Message ?? "Google's answer did not mention this file";
            if (code == 13 && work.Attempt < _options.CreateAttempts)
            {
                retry.Add(work with { Attempt = work.Attempt + 1 });
            }
            else if (work.TokenFromEarlierRun && code is 3 or 5)
            {
                // A saved token that no longer works, most likely spent by a batchCreate whose answer a crash lost.
                if (await RecoverTokenAsync(work, message, cancellationToken).ConfigureAwait(false) is { } recovered) retry.Add(recovered);
            }
            else
            {
                _journal.RecordDiscarded(work.File.Hash, message);
                Report(Failed(work.File.File.Display, $"Google refused to create the media item (code {code}): {message}"), work.File);
            }
        }

        return retry;
    }

    /// <summary>
    /// A token saved by an earlier run was refused, so its media item may or may not exist: the run may have been
    /// killed after Google created it and before the journal heard. Sending the bytes again settles it without a
    /// duplicate, because Google maps identical bytes to the media item that already has them.
    /// </summary>
    private async Task<CreateWork?> RecoverTokenAsync(CreateWork work, string refusal, CancellationToken cancellationToken)
    {
        _journal.RecordDiscarded(work.File.Hash, refusal);
        if (await UploadOneAsync(work.File, null, cancellationToken).ConfigureAwait(false) is not var (file, token)) return null;
        _journal.RecordToken(file.Hash, token);
        return new CreateWork(file, token, TokenFromEarlierRun: false);
    }

    /// <summary>Puts media items uploaded earlier into this run's album; returns the items to try again later.</summary>
    private async Task<List<CreatorWork>> AddBatchAsync(List<AddWork> batch, AlbumTarget album, string albumId, CancellationToken cancellationToken)
    {
        var missing = batch.Where(w => !(_journal.Content(w.File.Hash) is { } content && _albums.Holds(album, content))).ToList();
        var ids = missing.Select(w => w.MediaItemId).Distinct().ToList();
        string? error = null;
        if (ids.Count > 0)
        {
            try
            {
                // Safe to repeat: adding an item that is already in the album changes nothing.
                await Backoff.RetryAsync(_client.Retry, () => _api.BatchAddMediaItemsAsync(albumId, ids, cancellationToken), cancellationToken).ConfigureAwait(false);
                foreach (var work in missing) _journal.RecordAdded(work.File.Hash, albumId);
            }
            catch (GooglePhotosApiException e) when (album.Title is not null && IsAlbumFull(e))
            {
                _albums.MarkFull(albumId);
                return [.. batch];
            }
            catch (GooglePhotosApiException e) when (!IsStop(e) && !IsFatal(e))
            {
                error = e.Message;
            }
        }

        foreach (var work in batch)
        {
            Report(error is not null && missing.Contains(work)
                ? Failed(work.File.File.Display, $"uploaded earlier, but adding it to the album failed: {error}")
                : new FileReport
                {
                    Path = work.File.File.Display, Status = "already-uploaded", MediaItemId = work.MediaItemId, ProductUrl = work.ProductUrl,
                    AlbumId = albumId, Bytes = work.File.Size,
                });
        }

        return [];
    }

    private static bool IsAlbumFull(GooglePhotosApiException e) =>
        (int)e.StatusCode == 400 && e.GoogleMessage is { } message && message.Contains("album", StringComparison.OrdinalIgnoreCase)
        && (message.Contains("full", StringComparison.OrdinalIgnoreCase) || message.Contains("limit", StringComparison.OrdinalIgnoreCase)
            || message.Contains("exceed", StringComparison.OrdinalIgnoreCase));

    private void Resolve(string hash)
    {
        if (_claims.TryGetValue(hash, out var claim)) claim.TrySetResult(_journal.Content(hash));
    }

    private void Report(FileReport report, Prepared? file)
    {
        // A file that failed before its hash was known has no journal entry to mark; the next run starts it afresh.
        if (file is not null && report.Status == "failed" && file.Hash.Length > 0)
        {
            _journal.RecordFailed(file.Hash, file.File.FullPath, report.Reason ?? "failed");
            Resolve(file.Hash);
        }

        Report(report);
    }

    private void Report(FileReport report)
    {
        _progress.Finished(report.Path);
        _report(report);
    }

    private static FileReport Failed(string path, string reason) => new() { Path = path, Status = "failed", Reason = reason };
}
