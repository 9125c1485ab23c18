namespace Q2Google.State;

/// <summary>Everything the journal knows about one content (one content hash), whatever paths it was seen under.</summary>
internal sealed class ContentState(string hash)
{
    public string Hash { get; } = hash;
    public long Size { get; set; }

    /// <summary>Set for large files: finds a moved copy without reading it whole.</summary>
    public string? Quick { get; set; }

    public string? SessionUrl { get; set; }
    public long? Granularity { get; set; }
    public DateTimeOffset? SessionAt { get; set; }

    /// <summary>Bytes the server confirmed for <see cref="SessionUrl"/>.</summary>
    public long Offset { get; set; }

    public string? Token { get; set; }
    public DateTimeOffset? TokenAt { get; set; }

    public string? MediaItemId { get; set; }
    public string? ProductUrl { get; set; }
    public DateTimeOffset? CreatedAt { get; set; }

    private List<string>? _albums;

    /// <summary>The albums this content is in (most are in none or one: the list exists only when needed).</summary>
    public IReadOnlyList<string> Albums => (IReadOnlyList<string>?)_albums ?? [];

    internal void AddAlbum(string albumId) => (_albums ??= new List<string>(1)).Add(albumId);

    internal void ClearAlbums() => _albums = null;

    public string? LastFailure { get; set; }
    public string? LastFailurePath { get; set; }

    /// <summary>The last path it was seen under, for status output.</summary>
    public string? LastPath { get; set; }

    public bool IsCreated => MediaItemId is not null;
}
