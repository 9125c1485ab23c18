namespace Q2Google.State;

/// <summary>
/// What the journal says, replayed into memory: every content (by hash), every path as last seen (the no-read
/// fast path), large files' quick fingerprints, and albums by title and id. Not thread-safe: the
/// <see cref="Journal"/> that owns it serialises access.
/// </summary>
internal sealed class JournalReplay
{
    private readonly Dictionary<string, ContentState> _contents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PathState> _paths = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byQuick = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<AlbumState>> _albumsByTitle = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AlbumState> _albumsById = new(StringComparer.Ordinal);

    /// <summary>How many lines a compacted journal needs: one per content, path and album.</summary>
    public long LiveRecords => _contents.Count + _paths.Count + _albumsById.Count;

    public IEnumerable<ContentState> Contents => _contents.Values;

    public IEnumerable<AlbumState> Albums => _albumsById.Values;

    public ContentState? Content(string hash) => _contents.GetValueOrDefault(hash);

    public string? HashOf(string path, long size, long modified) =>
        _paths.TryGetValue(path, out var seen) && seen.Size == size && seen.Modified == modified ? seen.Hash : null;

    public string? HashByQuick(string quick) => _byQuick.GetValueOrDefault(quick);

    /// <summary>The albums recorded with this title: usually one; two after <c>albums create --allow-duplicate</c>.</summary>
    public IReadOnlyList<AlbumState> AlbumsTitled(string title) => _albumsByTitle.TryGetValue(title, out var albums) ? [.. albums] : [];

    public AlbumState? AlbumById(string id) => _albumsById.GetValueOrDefault(id);

    /// <summary>The journal as one line per album, content and path: what compaction writes.</summary>
    public IEnumerable<JournalRecord> Compacted()
    {
        foreach (var state in _albumsById.Values) yield return JournalRecordWriter.Album(state.Title, state.Id, count: state.Count, full: state.Full);
        foreach (var c in _contents.Values)
        {
            // The path it was last seen under rides on the content's own line: one line per file, usually.
            var seen = c.LastPath is { } last && _paths.TryGetValue(last, out var p) && p.Hash == c.Hash ? p : null;
            yield return JournalRecordWriter.Content(c, seen?.Modified);
        }

        foreach (var (path, seen) in _paths)
        {
            if (_contents.TryGetValue(seen.Hash, out var owner) && owner.LastPath == path && owner.Size == seen.Size) continue;
            yield return JournalRecordWriter.Path(path, seen.Size, seen.Modified, seen.Hash);
        }
    }

    public void Apply(JournalRecord record)
    {
        ContentState Content() => record.Hash is null ? new ContentState("") : _contents.TryGetValue(record.Hash, out var c) ? c : _contents[record.Hash] = new ContentState(record.Hash);
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
            case JournalKinds.Album when record.Title is not null && record.Id is not null:
                if (!_albumsById.TryGetValue(record.Id, out var state))
                {
                    _albumsById[record.Id] = state = new AlbumState(record.Title, record.Id);
                    if (!_albumsByTitle.TryGetValue(record.Title, out var titled)) _albumsByTitle[record.Title] = titled = [];
                    titled.Add(state);
                }

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
