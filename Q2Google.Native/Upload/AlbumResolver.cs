using Q2Google.Api;
using Q2Google.Failures;
using Q2Google.State;

namespace Q2Google.Upload;

/// <summary>
/// Turns album titles into ids: from the journal, else by looking the title up among this app's albums
/// (read scope), else by creating the album, once. Before an album would pass Google's 20,000-item limit
/// (or once Google says it is full) the run continues in "Title (2)", "Title (3)", …. Used only from the
/// pipeline's single batch creator, so it needs no locking.
/// </summary>
internal sealed class AlbumResolver(GooglePhotosApi api, Journal journal, int itemLimit, RetryOptions retry, Action<string> note)
{
    private Dictionary<string, Album>? _googleAlbums;

    /// <summary>The album id for <paramref name="target"/>, and how many more items it can take.</summary>
    public async Task<(string Id, int Room)> ResolveAsync(AlbumTarget target, CancellationToken cancellationToken)
    {
        if (target.Id is { } id) return (id, int.MaxValue);
        for (var n = 1; ; n++)
        {
            var title = AlbumTitles.Fit(target.Title!, n);
            var album = journal.AlbumByTitle(title) ?? await FindOrCreateAsync(title, cancellationToken).ConfigureAwait(false);
            if (album.Full) continue;
            // The journal counts what went in; batches are created one at a time, so nothing is in flight here.
            var room = itemLimit - album.Count;
            if (room <= 0)
            {
                note($"album \"{title}\" has reached {itemLimit} items, Google's limit; continuing in \"{AlbumTitles.Fit(target.Title!, n + 1)}\"");
                journal.RecordAlbumFull(album.Id);
                continue;
            }

            return (album.Id, room);
        }
    }

    /// <summary>
    /// True when the content is already in the target album, or in one of its "Title (n)" continuations: a file
    /// uploaded before the roll-over is where it should be, and is not moved.
    /// </summary>
    public bool Holds(AlbumTarget target, ContentState content)
    {
        if (target.Id is { } id) return content.Albums.Contains(id);
        foreach (var albumId in content.Albums)
        {
            if (journal.AlbumById(albumId)?.Title is { } title && AlbumTitles.IsOneOf(title, target.Title!)) return true;
        }

        return false;
    }

    /// <summary>Google refused items for being over the album limit: never use this album again.</summary>
    public void MarkFull(string albumId) => journal.RecordAlbumFull(albumId);

    private async Task<AlbumState> FindOrCreateAsync(string title, CancellationToken cancellationToken)
    {
        var existing = await FindOnGoogleAsync(title, cancellationToken).ConfigureAwait(false);
        var album = existing ?? await CreateAsync(title, cancellationToken).ConfigureAwait(false);
        journal.RecordAlbum(title, album.Id!);
        var state = journal.AlbumById(album.Id!)!;
        state.Count = Math.Max(state.Count, (int)(album.MediaItemsCount ?? 0));
        return state;
    }

    /// <summary>
    /// albums.create is not safe to repeat blindly: when its answer is lost, the album may exist. So after a
    /// failure, look again (read scope) before trying once more.
    /// </summary>
    private async Task<Album> CreateAsync(string title, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(retry);
        while (true)
        {
            try
            {
                return await api.CreateAlbumAsync(title, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (FailurePolicy.IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                await backoff.WaitAsync(e, cancellationToken).ConfigureAwait(false);
                _googleAlbums = null;
                if (await FindOnGoogleAsync(title, cancellationToken).ConfigureAwait(false) is { } made) return made;
            }
        }
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
                    var pageToken = page;
                    var response = await Backoff.RetryAsync(retry, () => api.ListAlbumsAsync(50, pageToken, cancellationToken), cancellationToken).ConfigureAwait(false);
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
