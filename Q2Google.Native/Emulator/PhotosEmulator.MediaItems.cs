using System.Globalization;
using System.Text.Json;
using Q2Google.Http;

namespace Q2Google.Emulator;

// Media items: get, batchGet, list and search (docs/protocol.md#listing-and-paging). App-created data only.
internal sealed partial class PhotosEmulator
{
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
            if (Options.BatchGetRefusesUnknownIds && ids.Any(id => AppMediaItem(id, grant) is null)) return Invalid("Request contains an invalid media item id.");
            results = [.. ids.Select(id => AppMediaItem(id, grant) is { } m
                ? new MediaItemResult { MediaItem = ToWire(m) }
                : new MediaItemResult { Status = MissingItemStatus() })];
        }

        return HttpResponse.Json(200, JsonSerializer.SerializeToUtf8Bytes(new BatchGetMediaItemsResponse { MediaItemResults = results },
            EmulatorJsonContext.Default.BatchGetMediaItemsResponse));
    }

    /// <summary>What batchGet says of an id it does not hold (deleted, another app's, never made): code 3 as seen in the field, or NOT_FOUND.</summary>
    private Status MissingItemStatus() => Options.BatchGetMissingItemCode == 5
        ? new Status { Code = 5, Message = "Requested entity was not found." }
        : new Status { Code = Options.BatchGetMissingItemCode, Message = "Invalid media item ID." };

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
}
