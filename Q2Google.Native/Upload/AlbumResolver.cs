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
    /// <summary>This app's albums on Google by title; a title can have several (albums.create makes a new one each time).</summary>
    private Dictionary<string, List<Album>>? _googleAlbums;

    /// <summary>The album id for <paramref name="target"/>, and how many more items it can take.</summary>
    public async Task<(string Id, int Room)> ResolveAsync(AlbumTarget target, CancellationToken cancellationToken)
    {
        if (target.Id is { } id) return (id, int.MaxValue);
        for (var n = 1; ; n++)
        {
            var title = AlbumTitles.Fit(target.Title!, n);
            var album = Known(title) ?? await FindOrCreateAsync(title, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Before any byte is sent: an album title the journal does not know yet must name at most one of this app's
    /// albums on Google, or the run would have to guess (see <see cref="FindOnGoogleAsync"/>).
    /// </summary>
    public async Task CheckTitleAsync(string title, CancellationToken cancellationToken)
    {
        if (Known(title) is null) await FindOnGoogleAsync(title, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The album the journal ties to this title; more than one is for the person to settle.</summary>
    private AlbumState? Known(string title)
    {
        var known = journal.AlbumsTitled(title);
        if (known.Count > 1) throw Ambiguous(title, known.Select(a => a.Id));
        return known.SingleOrDefault();
    }

    private static ConfigurationException Ambiguous(string title, IEnumerable<string?> ids)
    {
        var list = ids.ToList();
        return new ConfigurationException(
            $"{list.Count} of this app's albums are titled \"{title}\" ({string.Join(", ", list)}), so q2google cannot tell which " +
            "one to add to; name one with --album-id ID (or give the others another title in Google Photos)");
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

    /// <summary>
    /// An app-created album with this title made before the journal existed (or by another machine). Two of them
    /// (say, <c>albums create</c> run twice with <c>--allow-duplicate</c>) end the run: which one is meant only the person knows.
    /// </summary>
    private async Task<Album?> FindOnGoogleAsync(string title, CancellationToken cancellationToken)
    {
        if (_googleAlbums is null)
        {
            _googleAlbums = new Dictionary<string, List<Album>>(StringComparer.Ordinal);
            try
            {
                await foreach (var album in AlbumListing.AllAsync(api, retry, cancellationToken).ConfigureAwait(false))
                {
                    if (!_googleAlbums.TryGetValue(album.Title, out var same)) _googleAlbums[album.Title] = same = [];
                    same.Add(album);
                }
            }
            catch (GooglePhotosApiException e) when (e.IsInsufficientScope)
            {
                // Without the read scope we cannot look: the journal is all we know, and a new album is made.
            }
        }

        var found = _googleAlbums.GetValueOrDefault(title) ?? [];
        if (found.Count > 1) throw Ambiguous(title, found.Select(a => a.Id));

        return found.SingleOrDefault();
    }
}
