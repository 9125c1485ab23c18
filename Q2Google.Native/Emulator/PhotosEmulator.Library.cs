using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Q2Google.Http;

namespace Q2Google.Emulator;

// batchCreate, media items and albums (docs/protocol.md#batchcreate, #albums, #listing-and-paging and #emulator-checks). App-created data only.
public sealed partial class PhotosEmulator
{
    private const int MaxJsonBody = 4 * 1024 * 1024;

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
            // Let overlapping calls from a misbehaving client actually overlap, so the chaos check can see them.
            if (Options.FailConcurrentBatchCreate) await Task.Delay(20, cancellationToken).ConfigureAwait(false);
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
            ? _mediaItems.FirstOrDefault(m => m.User == token.User && m.Sha256 == token.Sha256 && m.Size == token.Size)
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
        return media;
    }

    private static NewMediaItemResult Failed(string token, int code, string message) =>
        new() { UploadToken = token, Status = new Status { Code = code, Message = message } };

    private HttpResponse HandleGetMediaItem(HttpExchange exchange, EmulatedGrant grant)
    {
        var id = exchange.Request.Path["/v1/mediaItems/".Length..];
        EmulatedMediaItem? media;
        lock (_gate) media = AppMediaItem(id, grant);
        return media is null
            ? Invalid("Invalid media item ID.")
            : HttpResponse.Json(200, JsonSerializer.SerializeToUtf8Bytes(ToWire(media), EmulatorJsonContext.Default.MediaItem));
    }

    private HttpResponse HandleBatchGet(HttpExchange exchange, EmulatedGrant grant)
    {
        var ids = exchange.Request.QueryValues("mediaItemIds").ToList();
        if (ids.Count is 0 or > 50) return Invalid("Request must contain between 1 and 50 media item ids.");
        if (ids.Distinct().Count() != ids.Count) return Invalid("Request contains duplicate media item ids.");
        List<MediaItemResult> results;
        lock (_gate)
        {
            results = [.. ids.Select(id => AppMediaItem(id, grant) is { } m
                ? new MediaItemResult { MediaItem = ToWire(m) }
                : new MediaItemResult { Status = new Status { Code = 3, Message = "Invalid media item ID." } })];
        }

        return HttpResponse.Json(200, JsonSerializer.SerializeToUtf8Bytes(new BatchGetMediaItemsResponse { MediaItemResults = results },
            EmulatorJsonContext.Default.BatchGetMediaItemsResponse));
    }

    private HttpResponse HandleListMediaItems(HttpExchange exchange, EmulatedGrant grant)
    {
        var request = exchange.Request;
        if (!TryPageSize(request.QueryValue("pageSize"), 25, 100, out var pageSize)) return Invalid("pageSize must be a positive integer.");
        List<EmulatedMediaItem> all;
        lock (_gate) all = [.. _mediaItems.Where(m => m.User == grant.User && m.ClientId == grant.ClientId)];
        return Page(all, pageSize, request.QueryValue("pageToken"), $"list|{pageSize}",
            (page, next) => JsonSerializer.SerializeToUtf8Bytes(new ListMediaItemsResponse
            {
                MediaItems = page.Count == 0 ? null : [.. page.Select(ToWire)],
                NextPageToken = next,
            }, EmulatorJsonContext.Default.ListMediaItemsResponse));
    }

    private async Task<HttpResponse> HandleSearchAsync(HttpExchange exchange, EmulatedGrant grant, CancellationToken cancellationToken)
    {
        var (search, error) = await ReadJsonAsync(exchange, EmulatorJsonContext.Default.SearchMediaItemsRequest, cancellationToken).ConfigureAwait(false);
        if (search is null) return error!;
        if (search.AlbumId is not null && search.Filters is not null) return Invalid("albumId and filters cannot be set together.");
        if (!TryPageSize(search.PageSize?.ToString(CultureInfo.InvariantCulture), 25, 100, out var pageSize)) return Invalid("pageSize must be a positive integer.");

        List<EmulatedMediaItem> all;
        lock (_gate)
        {
            if (search.AlbumId is not null)
            {
                if (AppAlbum(search.AlbumId, grant) is not { } album) return Invalid("Request contains an invalid album id.");
                all = [.. album.MediaItemIds.Select(id => _mediaById[id])];
            }
            else
            {
                all = [.. _mediaItems.Where(m => m.User == grant.User && m.ClientId == grant.ClientId)];
            }
        }

        var filters = search.Filters?.GetRawText() ?? "";
        return Page(all, pageSize, search.PageToken, $"search|{search.AlbumId}|{pageSize}|{filters}|{search.OrderBy}",
            (page, next) => JsonSerializer.SerializeToUtf8Bytes(new ListMediaItemsResponse
            {
                MediaItems = page.Count == 0 ? null : [.. page.Select(ToWire)],
                NextPageToken = next,
            }, EmulatorJsonContext.Default.ListMediaItemsResponse));
    }

    private async Task<HttpResponse> HandleCreateAlbumAsync(HttpExchange exchange, EmulatedGrant grant, CancellationToken cancellationToken)
    {
        var (request, error) = await ReadJsonAsync(exchange, EmulatorJsonContext.Default.CreateAlbumRequest, cancellationToken).ConfigureAwait(false);
        if (request is null) return error!;
        var title = request.Album.Title;
        if (string.IsNullOrWhiteSpace(title)) return Invalid("The album title must not be empty.");
        if (title.Length > 500) return Invalid("The album title must be at most 500 characters.");

        var album = new EmulatedAlbum { Id = LongId("AF"), User = grant.User, ClientId = grant.ClientId, Title = title };
        lock (_gate)
        {
            _albums.Add(album);
            _albumsById[album.Id] = album;
        }

        MarkDirty();
        return HttpResponse.Json(200, JsonSerializer.SerializeToUtf8Bytes(ToWire(album), EmulatorJsonContext.Default.Album));
    }

    private HttpResponse HandleGetAlbum(HttpExchange exchange, EmulatedGrant grant)
    {
        var id = exchange.Request.Path["/v1/albums/".Length..];
        Album? album;
        lock (_gate) album = AppAlbum(id, grant) is { } a ? ToWire(a) : null;
        return album is null
            ? Invalid("Invalid album ID.")
            : HttpResponse.Json(200, JsonSerializer.SerializeToUtf8Bytes(album, EmulatorJsonContext.Default.Album));
    }

    private HttpResponse HandleListAlbums(HttpExchange exchange, EmulatedGrant grant)
    {
        var request = exchange.Request;
        if (!TryPageSize(request.QueryValue("pageSize"), 20, 50, out var pageSize)) return Invalid("pageSize must be a positive integer.");
        List<Album> all;
        lock (_gate) all = [.. _albums.Where(a => a.User == grant.User && a.ClientId == grant.ClientId).Select(ToWire)];
        return Page(all, pageSize, request.QueryValue("pageToken"), $"albums|{pageSize}",
            (page, next) => JsonSerializer.SerializeToUtf8Bytes(new ListAlbumsResponse
            {
                Albums = page.Count == 0 ? null : page,
                NextPageToken = next,
            }, EmulatorJsonContext.Default.ListAlbumsResponse));
    }

    private async Task<HttpResponse> HandleAlbumItemsAsync(HttpExchange exchange, EmulatedGrant grant, bool add, CancellationToken cancellationToken)
    {
        var path = exchange.Request.Path;
        var albumId = path["/v1/albums/".Length..path.LastIndexOf(':')];
        var (request, error) = await ReadJsonAsync(exchange, EmulatorJsonContext.Default.BatchAddMediaItemsRequest, cancellationToken).ConfigureAwait(false);
        if (request is null) return error!;
        var ids = request.MediaItemIds;
        if (ids.Count is 0 or > 50) return Invalid("Request must contain between 1 and 50 media item ids.");
        if (ids.Distinct().Count() != ids.Count) return Invalid("Request contains duplicate media item ids.");

        lock (_gate)
        {
            if (AppAlbum(albumId, grant) is not { } album) return Invalid("Request contains an invalid album id.");
            // All or nothing: one bad id fails the whole request and changes nothing.
            var items = ids.Select(id => AppMediaItem(id, grant)).ToList();
            if (items.Any(i => i is null)) return Invalid("Request contains an invalid media item id.");
            if (add)
            {
                var newOnes = items.Where(i => !album.MediaItemIds.Contains(i!.Id)).ToList();
                if (album.MediaItemIds.Count + newOnes.Count > Options.AlbumItemLimit)
                {
                    return Invalid($"The album is full: an album can hold at most {Options.AlbumItemLimit} media items.");
                }

                foreach (var item in newOnes)
                {
                    album.MediaItemIds.Add(item!.Id);
                    item.AlbumIds.Add(album.Id);
                }
            }
            else
            {
                foreach (var item in items)
                {
                    album.MediaItemIds.Remove(item!.Id);
                    item.AlbumIds.Remove(album.Id);
                }
            }
        }

        MarkDirty();
        return HttpResponse.Json(200, "{}"u8.ToArray());
    }

    /// <summary>An album this app created for this user; other apps' albums are invisible since March 2025.</summary>
    private EmulatedAlbum? AppAlbum(string id, EmulatedGrant grant) =>
        _albumsById.TryGetValue(id, out var album) && album.User == grant.User && album.ClientId == grant.ClientId ? album : null;

    private EmulatedMediaItem? AppMediaItem(string id, EmulatedGrant grant) =>
        _mediaById.TryGetValue(id, out var media) && media.User == grant.User && media.ClientId == grant.ClientId ? media : null;

    private MediaItem ToWire(EmulatedMediaItem media) => new()
    {
        Id = media.Id,
        Description = string.IsNullOrEmpty(media.Description) ? null : media.Description,
        ProductUrl = new Uri(BaseUrl, "photo/" + media.Id).AbsoluteUri,
        BaseUrl = new Uri(BaseUrl, "media/" + media.Id).AbsoluteUri,
        MimeType = media.MimeType,
        Filename = media.FileName,
        // Nine fractional digits on purpose: Google sends them, .NET keeps seven.
        MediaMetadata = new MediaMetadata { CreationTime = media.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z'", CultureInfo.InvariantCulture) },
    };

    private Album ToWire(EmulatedAlbum album) => new()
    {
        Id = album.Id,
        Title = album.Title,
        ProductUrl = new Uri(BaseUrl, "album/" + album.Id).AbsoluteUri,
        IsWriteable = true,
        MediaItemsCount = album.MediaItemIds.Count == 0 ? null : album.MediaItemIds.Count,
    };

    /// <summary>
    /// An id as long as Google's: clients written against the real service expect that (rclone only recognises an
    /// id of 55 or more characters in a file name). The exact length is UNCONFIRMED; clients must keep ids opaque.
    /// </summary>
    private static string LongId(string prefix) => prefix + RandomId(98 - prefix.Length);

    private static HttpResponse Invalid(string message) => GoogleErrors.Json(400, message, "INVALID_ARGUMENT");

    private static async Task<(T? Value, HttpResponse? Error)> ReadJsonAsync<T>(HttpExchange exchange, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        var contentType = exchange.Request.Header("Content-Type") ?? "";
        if (!contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Invalid($"Invalid JSON payload received: Content-Type must be application/json, not '{contentType}'."));
        }

        var bytes = await exchange.Body.ReadToEndAsync(MaxJsonBody, cancellationToken).ConfigureAwait(false);
        if (bytes is null) return (null, GoogleErrors.Json(413, "Request payload too large.", "INVALID_ARGUMENT"));
        try
        {
            var value = JsonSerializer.Deserialize(bytes, type);
            return value is null ? (null, Invalid("Invalid JSON payload received: null.")) : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Invalid($"Invalid JSON payload received. {e.Message}"));
        }
    }

    private static bool TryPageSize(string? text, int defaultSize, int max, out int size)
    {
        size = defaultSize;
        if (string.IsNullOrEmpty(text) || text == "0") return true;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 0) return false;
        // Above the maximum Google's behaviour is UNCONFIRMED; clamping is the lenient reading.
        size = Math.Min(parsed, max);
        return true;
    }

    /// <summary>
    /// One page of a listing. The page token is opaque to clients but carries a hash of the query, so a token
    /// replayed with different parameters is refused, as Google does.
    /// </summary>
    private static HttpResponse Page<T>(List<T> all, int pageSize, string? pageToken, string query, Func<List<T>, string?, byte[]> render)
    {
        var fingerprint = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(query)))[..16];
        var start = 0;
        if (!string.IsNullOrEmpty(pageToken))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(pageToken));
            }
            catch (FormatException)
            {
                return Invalid("Invalid page token.");
            }

            var parts = decoded.Split('|');
            if (parts.Length != 2 || parts[1] != fingerprint || !int.TryParse(parts[0], out start) || start < 0 || start > all.Count)
            {
                return Invalid("The page token does not match the request parameters.");
            }
        }

        var page = all.Skip(start).Take(pageSize).ToList();
        var nextStart = start + page.Count;
        var next = nextStart < all.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes($"{nextStart}|{fingerprint}")) : null;
        return HttpResponse.Json(200, render(page, next));
    }
}
