using Q2Google.Http;

namespace Q2Google.Emulator;

// The user who deletes in the Google Photos app, which no Library API call can do (docs/protocol.md#emulator).
internal sealed partial class PhotosEmulator
{
    private const string DeletePrefix = "/emulator/mediaItems/";
    private const string DeleteSuffix = ":delete";

    /// <summary>
    /// Deletes a media item as the Google Photos app would: it is gone from every answer (get, batchGet, list,
    /// search, its albums), and the same bytes uploaded again make a new item.
    /// </summary>
    /// <returns>False when the emulator holds no item with this id.</returns>
    public bool DeleteMediaItem(string id)
    {
        lock (_gate)
        {
            if (!_mediaById.Remove(id, out var media)) return false;
            _mediaItems.RemoveAt(_mediaItems.FindIndex(m => ReferenceEquals(m, media)));
            var content = (media.User, media.Sha256, media.Size);
            if (_mediaByContent.TryGetValue(content, out var first) && ReferenceEquals(first, media))
            {
                _mediaByContent.Remove(content);
                // Items made while deduplication was off may hold the same bytes: the oldest of them is what those bytes map to now.
                if (_mediaItems.Find(m => (m.User, m.Sha256, m.Size) == content) is { } next) _mediaByContent[content] = next;
            }

            foreach (var albumId in media.AlbumIds)
            {
                if (_albumsById.TryGetValue(albumId, out var album)) album.MediaItemIds.Remove(id);
            }
        }

        MarkDirty();
        return true;
    }

    private static bool IsDeleteRoute(HttpRequestHead request) =>
        request.Method == "POST" && request.Path.StartsWith(DeletePrefix, StringComparison.Ordinal) && request.Path.EndsWith(DeleteSuffix, StringComparison.Ordinal);

    /// <summary><c>POST /emulator/mediaItems/{id}:delete</c>: <see cref="DeleteMediaItem"/> for scripts and the README.</summary>
    private HttpResponse HandleDelete(HttpRequestHead request)
    {
        var id = Uri.UnescapeDataString(request.Path[DeletePrefix.Length..^DeleteSuffix.Length]);
        return DeleteMediaItem(id)
            ? HttpResponse.Json(200, "{}"u8.ToArray())
            : GoogleErrors.Json(404, $"No media item {id} to delete.", "NOT_FOUND");
    }
}
