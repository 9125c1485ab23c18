using System.Text.Json;
using Q2Google.Http;

namespace Q2Google.Emulator;

// mediaItems:batchCreate (docs/protocol.md#batchcreate): limits, single-use tokens, identical bytes deduplicated.
internal sealed partial class PhotosEmulator
{
    private async Task<HttpResponse> HandleBatchCreateAsync(HttpExchange exchange, EmulatedGrant grant, CancellationToken cancellationToken)
    {
        var (request, error) = await ReadJsonAsync(exchange, EmulatorJsonContext.Default.MediaItemBatchCreateRequest, cancellationToken).ConfigureAwait(false);
        if (request is null) return error!;

        var items = request.NewMediaItems;
        if (items.Count == 0) return Invalid("Request must contain at least one new media item.");
        if (items.Count > 50) return Invalid("Request must have less than 50 items.");
        if (items.Any(i => string.IsNullOrEmpty(i.SimpleMediaItem.UploadToken))) return Invalid(GoogleErrors.InvalidUploadToken);
        if (items.Any(i => i.Description is { Length: >= 1000 })) return Invalid("The description must be shorter than 1000 characters.");
        if (items.Any(i => i.SimpleMediaItem.FileName is { Length: > 255 })) return Invalid("The file name must be at most 255 characters.");
        if (request.AlbumPosition is not null && request.AlbumId is null) return Invalid("albumPosition requires albumId.");

        lock (_gate)
        {
            _batchCreatesInFlight.TryGetValue(grant.User, out var running);
            _batchCreatesInFlight[grant.User] = running + 1;
            if (running > 0 && Options.FailConcurrentBatchCreate)
            {
                _batchCreatesInFlight[grant.User] = running;
                return GoogleErrors.Json(500, "Internal error encountered.");
            }
        }

        try
        {
            // Google takes its time over a batch; and overlapping calls from a misbehaving client must really
            // overlap, so the chaos check can see them.
            var latency = Options.BatchCreateDelay ?? Options.ResponseDelay;
            if (latency <= TimeSpan.Zero && Options.FailConcurrentBatchCreate) latency = TimeSpan.FromMilliseconds(20);
            if (latency > TimeSpan.Zero) await Task.Delay(latency, Options.Time, cancellationToken).ConfigureAwait(false);
            var injected = TakeFault(FaultTarget.BatchCreate, FaultKind.PartialBatchFailure);
            var (results, failure) = CreateItems(request, grant, injected);
            if (failure is not null) return failure;

            var body = JsonSerializer.SerializeToUtf8Bytes(new MediaItemBatchCreateResponse { NewMediaItemResults = results },
                EmulatorJsonContext.Default.MediaItemBatchCreateResponse);
            var anyFailed = results.Any(r => !(r.Status?.IsOk ?? true));
            MarkDirty();
            if (TakeFault(FaultTarget.BatchCreate, FaultKind.DelayAnswer) is { } late) await Task.Delay(late.Delay, Options.Time, cancellationToken).ConfigureAwait(false);
            return HttpResponse.Json(anyFailed && Options.PartialBatchAs207 ? 207 : 200, body);
        }
        finally
        {
            lock (_gate) _batchCreatesInFlight[grant.User]--;
        }
    }

    private (List<NewMediaItemResult> Results, HttpResponse? Failure) CreateItems(MediaItemBatchCreateRequest request, EmulatedGrant grant, EmulatorFault? injected)
    {
        var now = Options.Time.GetUtcNow();
        lock (_gate)
        {
            EmulatedAlbum? album = null;
            if (request.AlbumId is not null)
            {
                album = AppAlbum(request.AlbumId, grant);
                if (album is null) return ([], Invalid("Request contains an invalid album id."));
                // An upper bound: every item that is not already in the album could land there.
                var newItems = request.NewMediaItems.Count(i => Lookup(i.SimpleMediaItem.UploadToken) is not { } t
                                                                 || FindDuplicate(t) is not { } dup || !album.MediaItemIds.Contains(dup.Id));
                if (album.MediaItemIds.Count + newItems > Options.AlbumItemLimit)
                {
                    return ([], Invalid($"The album is full: an album can hold at most {Options.AlbumItemLimit} media items."));
                }
            }

            if (Options.ReusedTokenFailsWholeRequest && request.NewMediaItems.Any(i => Usable(Lookup(i.SimpleMediaItem.UploadToken), grant, now) is not null))
            {
                return ([], Invalid(GoogleErrors.InvalidUploadToken));
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var results = new List<NewMediaItemResult>(request.NewMediaItems.Count);
            for (var index = 0; index < request.NewMediaItems.Count; index++)
            {
                var item = request.NewMediaItems[index];
                var tokenText = item.SimpleMediaItem.UploadToken;
                var token = Lookup(tokenText);
                if (injected is not null && injected.ItemIndexes.Contains(index))
                {
                    // Code 13 is transient: the token survives for a retry. Anything else spends it.
                    if (token is not null && injected.ItemCode != 13) token.Used = true;
                    results.Add(Failed(tokenText, injected.ItemCode, injected.ItemMessage));
                    continue;
                }

                if (!seen.Add(tokenText) || Usable(token, grant, now) is { } why)
                {
                    results.Add(Failed(tokenText, 3, GoogleErrors.InvalidUploadToken));
                    continue;
                }

                token!.Used = true;
                if (token.Size == 0)
                {
                    results.Add(Failed(tokenText, 3, GoogleErrors.CreateFailed));
                    continue;
                }

                var media = FindDuplicate(token) ?? AddMediaItem(token, item, grant, now);
                if (album is not null && !album.MediaItemIds.Contains(media.Id))
                {
                    album.MediaItemIds.Add(media.Id);
                    media.AlbumIds.Add(album.Id);
                }

                results.Add(new NewMediaItemResult
                {
                    UploadToken = tokenText,
                    Status = new Status { Message = "Success" },
                    MediaItem = ToWire(media),
                });
            }

            return (results, null);
        }
    }

    private EmulatedUploadToken? Lookup(string token) => _uploadTokens.GetValueOrDefault(token);

    /// <summary>Why a token cannot be used, or null when it can.</summary>
    private string? Usable(EmulatedUploadToken? token, EmulatedGrant grant, DateTimeOffset now) =>
        token is null ? "unknown"
        : token.Used ? "already used"
        : token.User != grant.User ? "another user's"
        : token.CreatedAt + Options.UploadTokenLifetime <= now ? "expired"
        : null;

    private EmulatedMediaItem? FindDuplicate(EmulatedUploadToken token) =>
        Options.DeduplicateIdenticalBytes
            ? _mediaByContent.GetValueOrDefault((token.User, token.Sha256, token.Size))
            : null;

    private EmulatedMediaItem AddMediaItem(EmulatedUploadToken token, NewMediaItem item, EmulatedGrant grant, DateTimeOffset now)
    {
        var media = new EmulatedMediaItem
        {
            Id = LongId("A"),
            User = grant.User,
            ClientId = grant.ClientId,
            FileName = item.SimpleMediaItem.FileName ?? token.FileName,
            // proto3 JSON leaves an empty string out, so "" (rclone sends it) is no description at all.
            Description = string.IsNullOrEmpty(item.Description) ? null : item.Description,
            MimeType = token.MimeType,
            Size = token.Size,
            Sha256 = token.Sha256,
            CreatedAt = now,
        };
        _mediaItems.Add(media);
        _mediaById[media.Id] = media;
        _mediaByContent.TryAdd((media.User, media.Sha256, media.Size), media);
        return media;
    }

    private static NewMediaItemResult Failed(string token, int code, string message) =>
        new() { UploadToken = token, Status = new Status { Code = code, Message = message } };
}
