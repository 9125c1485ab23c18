using Q2Google.Api;
using Q2Google.State;

namespace Q2Google.Upload;

/// <summary>
/// Turns album titles into ids: from the journal, else by looking the title up among this app's albums
/// (read scope), else by creating the album, once. Before an album would pass Google's 20,000-item limit
/// (or once Google says it is full) the run continues in "Title (2)", "Title (3)", …. Used only from the
/// pipeline's single batch creator, so it needs no locking.
/// </summary>
public sealed class AlbumResolver(GooglePhotosApi api, Journal journal, int itemLimit, Action<string> note)
{
    private Dictionary<string, Album>? _googleAlbums;

    public int Created { get; private set; }

    /// <summary>The album id for <paramref name="target"/> with room for <paramref name="adding"/> more items.</summary>
    public async Task<string> ResolveAsync(AlbumTarget target, int adding, CancellationToken cancellationToken)
    {
        if (target.Id is { } id) return id;
        for (var n = 1; ; n++)
        {
            var title = n == 1 ? target.Title! : $"{target.Title} ({n})";
            var album = journal.AlbumByTitle(title) ?? await FindOrCreateAsync(title, cancellationToken).ConfigureAwait(false);
            if (album.Full) continue;
            if (album.Count + adding > itemLimit)
            {
                note($"album \"{title}\" is about to reach Google's limit of {itemLimit} items; continuing in \"{target.Title} ({n + 1})\"");
                journal.RecordAlbumFull(album.Id);
                continue;
            }

            return album.Id;
        }
    }

    /// <summary>Google refused items for being over the album limit: never use this album again.</summary>
    public void MarkFull(string albumId) => journal.RecordAlbumFull(albumId);

    private async Task<AlbumState> FindOrCreateAsync(string title, CancellationToken cancellationToken)
    {
        var existing = await FindOnGoogleAsync(title, cancellationToken).ConfigureAwait(false);
        var album = existing ?? await api.CreateAlbumAsync(title, cancellationToken).ConfigureAwait(false);
        if (existing is null) Created++;
        journal.RecordAlbum(title, album.Id!);
        var state = journal.AlbumById(album.Id!)!;
        state.Count = Math.Max(state.Count, (int)(album.MediaItemsCount ?? 0));
        return state;
    }

    /// <summary>An app-created album with this title made before the journal existed (or by another machine).</summary>
    private async Task<Album?> FindOnGoogleAsync(string title, CancellationToken cancellationToken)
    {
        if (_googleAlbums is null)
        {
            _googleAlbums = new Dictionary<string, Album>(StringComparer.Ordinal);
            try
            {
                string? page = null;
                do
                {
                    var response = await api.ListAlbumsAsync(50, page, cancellationToken).ConfigureAwait(false);
                    foreach (var album in response.Albums ?? [])
                    {
                        if (album.Id is not null) _googleAlbums.TryAdd(album.Title, album);
                    }

                    page = response.NextPageToken;
                }
                while (page is not null);
            }
            catch (GooglePhotosApiException e) when (e.IsInsufficientScope)
            {
                // Without the read scope we cannot look: the journal is all we know, and a new album is made.
            }
        }

        return _googleAlbums.GetValueOrDefault(title);
    }
}
