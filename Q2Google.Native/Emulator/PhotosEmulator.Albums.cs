using System.Text.Json;
using Q2Google.Http;

namespace Q2Google.Emulator;

// Albums: create, get, list, add and remove items (docs/protocol.md#albums). App-created data only.
internal sealed partial class PhotosEmulator
{
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
}
