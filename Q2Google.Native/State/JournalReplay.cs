namespace Q2Google.State;

/// <summary>
/// What the journal file says, replayed into memory on top of the index: every content and path it mentions
/// since the index was written (docs/architecture.md#the-journal), large files' quick fingerprints, and all
/// albums by title and id. A record about a content the index holds starts from the index's state of it
/// (<see cref="Stored"/>), so what is here is always the whole, current state of what it holds. Compaction
/// moves it all into the next index and starts over. Not thread-safe: the <see cref="Journal"/> that owns it serialises access.
/// </summary>
internal sealed class JournalReplay
{
    private readonly Dictionary<string, ContentState> _contents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PathState> _paths = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byQuick = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<AlbumState>> _albumsByTitle = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AlbumState> _albumsById = new(StringComparer.Ordinal);

    /// <summary>The index's state of a content, read when a record first mentions it; null for none.</summary>
    public Func<string, ContentState?>? Stored { get; set; }

    /// <summary>Contents and paths held here: what the next compaction moves into the index.</summary>
    public int Entries => _contents.Count + _paths.Count;

    public IEnumerable<ContentState> Contents => _contents.Values;

    public IEnumerable<KeyValuePair<string, PathState>> Paths => _paths;

    public IEnumerable<AlbumState> Albums => _albumsById.Values;

    public ContentState? Content(string hash) => _contents.GetValueOrDefault(hash);

    /// <summary>The path as last recorded here, or null when this file has not recorded it.</summary>
    public PathState? Path(string path) => _paths.GetValueOrDefault(path);

    public string? HashByQuick(string quick) => _byQuick.GetValueOrDefault(quick);

    /// <summary>The albums recorded with this title: usually one; two after <c>albums create --allow-duplicate</c>.</summary>
    public IReadOnlyList<AlbumState> AlbumsTitled(string title) => _albumsByTitle.TryGetValue(title, out var albums) ? [.. albums] : [];

    public AlbumState? AlbumById(string id) => _albumsById.GetValueOrDefault(id);

    /// <summary>The albums an index holds, before its journal file is replayed.</summary>
    public void AddAlbums(IEnumerable<AlbumState> albums)
    {
        foreach (var album in albums) Remember(album);
    }

    /// <summary>After compaction: the contents and paths are in the index now; albums stay (they are few, and in use).</summary>
    public void Clear()
    {
        _contents.Clear();
        _paths.Clear();
        _byQuick.Clear();
    }

    private void Remember(AlbumState album)
    {
        if (_albumsById.TryAdd(album.Id, album))
        {
            if (!_albumsByTitle.TryGetValue(album.Title, out var titled)) _albumsByTitle[album.Title] = titled = [];
            titled.Add(album);
        }
    }

    public void Apply(JournalRecord record)
    {
        ContentState Content() => record.Hash is null ? new ContentState("")
            : _contents.TryGetValue(record.Hash, out var c) ? c
            : _contents[record.Hash] = Stored?.Invoke(record.Hash) ?? new ContentState(record.Hash);
        // One string per hash and path in memory, however many records mention them: 150,000 files add up.
        void SeenAt(ContentState content, string path, long size, long modified)
        {
            _paths[path] = new PathState(size, modified, content.Hash);
            content.LastPath = path;
        }
        DateTimeOffset? At(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;

        switch (record.Kind)
        {
            case JournalKinds.Path when record.Path is not null && record.Hash is not null:
                var seen = Content();
                seen.Size = record.Size ?? seen.Size;
                SeenAt(seen, record.Path, record.Size ?? 0, record.Modified ?? 0);
                if (record.Quick is { } quick) Quick(seen, quick);
                break;
            case JournalKinds.Session when record.Hash is not null:
                var session = Content();
                session.SessionUrl = record.SessionUrl;
                session.Granularity = record.Granularity;
                session.SessionAt = At(record.At);
                session.Offset = 0;
                break;
            case JournalKinds.Offset when record.Hash is not null:
                Content().Offset = record.Offset ?? 0;
                break;
            case JournalKinds.Token when record.Hash is not null:
                var token = Content();
                token.Token = record.Token;
                token.TokenAt = At(record.At);
                token.SessionUrl = null;
                token.Offset = 0;
                break;
            case JournalKinds.Created when record.Hash is not null:
                var created = Content();
                created.MediaItemId = record.Id;
                created.ProductUrl = record.ProductUrl;
                created.CreatedAt = At(record.At);
                created.Token = null;
                created.SessionUrl = null;
                created.LastFailure = null;
                if (record.Album is { } album) AddToAlbum(created, album);
                break;
            case JournalKinds.Failed:
                if (record.Hash is null) break;
                var failed = Content();
                failed.LastFailure = record.Reason;
                failed.LastFailurePath = record.Path;
                break;
            case JournalKinds.Discard when record.Hash is not null:
                var discarded = Content();
                discarded.Token = null;
                discarded.TokenAt = null;
                discarded.SessionUrl = null;
                discarded.Offset = 0;
                break;
            case JournalKinds.Added when record.Hash is not null && record.Album is not null:
                AddToAlbum(Content(), record.Album);
                break;
            case JournalKinds.Missing when record.Hash is not null:
                var missing = Content();
                // An item created again since (by a later upload) is another item: it stays.
                if (missing.MediaItemId is null || (record.Id is not null && missing.MediaItemId != record.Id)) break;
                missing.MediaItemId = null;
                missing.ProductUrl = null;
                missing.CreatedAt = null;
                // Google takes a deleted item out of its albums: they hold one fewer, and room for the item sent again.
                foreach (var albumId in missing.Albums)
                {
                    if (_albumsById.TryGetValue(albumId, out var holder)) holder.Count = Math.Max(0, holder.Count - 1);
                }

                missing.ClearAlbums();
                break;
            case JournalKinds.Album when record.Title is not null && record.Id is not null:
                if (!_albumsById.TryGetValue(record.Id, out var state)) Remember(state = new AlbumState(record.Title, record.Id));

                state.Count = Math.Max(state.Count, record.Count ?? 0);
                state.Full |= record.Full ?? false;
                break;
            case JournalKinds.AlbumFull when record.Id is not null && _albumsById.TryGetValue(record.Id, out var full):
                full.Full = true;
                break;
            case JournalKinds.Content when record.Hash is not null:
                var c = Content();
                c.Size = record.Size ?? 0;
                c.SessionUrl = record.SessionUrl;
                c.Granularity = record.Granularity;
                c.SessionAt = At(record.SessionAt);
                c.Offset = record.Offset ?? 0;
                c.Token = record.Token;
                c.TokenAt = At(record.TokenAt);
                c.MediaItemId = record.Id;
                c.ProductUrl = record.ProductUrl;
                c.CreatedAt = At(record.At);
                c.LastFailure = record.Reason;
                if (record.Path is not null && record.Modified is { } mtime) SeenAt(c, record.Path, c.Size, mtime);
                if (record.Quick is { } q) Quick(c, q);
                else c.LastPath = record.Path;
                foreach (var albumId in record.Albums ?? []) AddToAlbum(c, albumId, count: false);
                break;
        }
    }

    private void Quick(ContentState content, string quick)
    {
        content.Quick = quick;
        _byQuick[quick] = content.Hash;
    }

    private void AddToAlbum(ContentState content, string albumId, bool count = true)
    {
        if (content.Albums.Contains(albumId)) return;
        content.AddAlbum(_albumsById.TryGetValue(albumId, out var known) ? known.Id : albumId);
        if (count && _albumsById.TryGetValue(albumId, out var album)) album.Count++;
    }

}
