namespace Q2Google.State;

/// <summary>
/// The index's small shared tables, kept whole in memory: the albums (records name them by number), and the
/// product URL prefixes (a product URL is almost always a fixed prefix and the media item id, so records keep
/// just the prefix's number). A writer starts from the tables of the index it replaces, so every number an
/// older record holds still means the same thing and unchanged records are copied byte for byte.
/// </summary>
internal sealed class IndexTables
{
    private readonly List<string> _albumIds = [];
    private readonly Dictionary<string, int> _albumNumbers = new(StringComparer.Ordinal);
    private readonly List<string> _prefixes = [];
    private readonly Dictionary<string, int> _prefixNumbers = new(StringComparer.Ordinal);

    /// <summary>The albums with a title (from <c>album</c> records), by id; other ids are only referenced by contents.</summary>
    public Dictionary<string, AlbumState> Albums { get; } = new(StringComparer.Ordinal);

    public int AlbumNumber(string id)
    {
        if (_albumNumbers.TryGetValue(id, out var number)) return number;
        _albumIds.Add(id);
        return _albumNumbers[id] = _albumIds.Count - 1;
    }

    public string AlbumId(int number) =>
        (uint)number < (uint)_albumIds.Count ? _albumIds[number] : throw new IndexDamagedException($"a record names album {number} of {_albumIds.Count}");

    public int PrefixNumber(string prefix)
    {
        if (_prefixNumbers.TryGetValue(prefix, out var number)) return number;
        _prefixes.Add(prefix);
        return _prefixNumbers[prefix] = _prefixes.Count - 1;
    }

    public string Prefix(int number) =>
        (uint)number < (uint)_prefixes.Count ? _prefixes[number] : throw new IndexDamagedException($"a record names URL prefix {number} of {_prefixes.Count}");

    /// <summary>A copy to write the next index with: same numbers, and the current album states.</summary>
    public IndexTables Extend(IEnumerable<AlbumState> albums)
    {
        var next = new IndexTables();
        foreach (var id in _albumIds) next.AlbumNumber(id);
        foreach (var prefix in _prefixes) next.PrefixNumber(prefix);
        foreach (var album in albums)
        {
            next.AlbumNumber(album.Id);
            next.Albums[album.Id] = album;
        }

        return next;
    }

    public void Write(IndexBuffer buffer)
    {
        buffer.VarInt((ulong)_albumIds.Count);
        foreach (var id in _albumIds)
        {
            buffer.String(id);
            var album = Albums.GetValueOrDefault(id);
            buffer.String(album?.Title ?? "");
            buffer.VarInt((ulong)(album?.Count ?? 0));
            buffer.Byte((byte)((album is null ? 0 : 1) | (album?.Full == true ? 2 : 0)));
        }

        buffer.VarInt((ulong)_prefixes.Count);
        foreach (var prefix in _prefixes) buffer.String(prefix);
    }

    public static IndexTables Read(ReadOnlySpan<byte> bytes)
    {
        var tables = new IndexTables();
        var reader = new IndexSpanReader(bytes);
        var albums = reader.Length();
        for (var i = 0; i < albums; i++)
        {
            var id = reader.String();
            var title = reader.String();
            var count = checked((int)reader.VarInt());
            var flags = reader.Byte();
            tables.AlbumNumber(id);
            if ((flags & 1) != 0) tables.Albums[id] = new AlbumState(title, id) { Count = count, Full = (flags & 2) != 0 };
        }

        var prefixes = reader.Length();
        for (var i = 0; i < prefixes; i++) tables.PrefixNumber(reader.String());
        return tables;
    }
}
