namespace Q2Google.Upload;

/// <summary>What one <c>upload</c> run is asked to do (the options of docs/cli.md#upload).</summary>
internal sealed record UploadOptions
{
    public string? Album { get; init; }
    public string? AlbumId { get; init; }
    public bool AlbumPerFolder { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<string> Include { get; init; } = [];
    public IReadOnlyList<string> Exclude { get; init; } = [];
    /// <summary>
    /// The most files sending bytes at once (<c>--concurrency</c>). The run starts at <see cref="InitialConcurrency"/>
    /// and goes up to this while it pays (<see cref="AdaptiveConcurrency"/>): 16 keeps small photos ahead of the one
    /// batch creator at a few hundred milliseconds of latency, where 4 cannot.
    /// </summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>Files sending at once when the run starts, before it has measured the line: what a run always had before.</summary>
    public int InitialConcurrency { get; init; } = 4;
    public const long DefaultChunkSize = 16L << 20;

    public long ChunkSize { get; init; } = DefaultChunkSize;

    /// <summary>
    /// Chunks after a file's first take about this long (<see cref="GooglePhotosClient.ChunkDuration"/>), never less
    /// than <see cref="ChunkSize"/>; null (an explicit <c>--chunk-size</c>) keeps them all that size.
    /// </summary>
    public TimeSpan? ChunkDuration { get; init; }

    /// <summary>
    /// What <c>upload</c> sizes chunks by when no <c>--chunk-size</c> is given: a 100 ms round trip is then 2.5% of a
    /// chunk's time, and a dropped connection costs about 4 s of sending again.
    /// </summary>
    public static readonly TimeSpan DefaultChunkDuration = TimeSpan.FromSeconds(4);

    /// <summary>
    /// Files that fit in one chunk go up in one raw request (see <see cref="GooglePhotosClient.RawUploadLimit"/>):
    /// a resumable session would cost a second request and could not resume anything smaller than a chunk anyway.
    /// </summary>
    public long RawUploadLimit => ChunkSize;

    public bool DryRun { get; init; }
    public bool Force { get; init; }

    /// <summary>A partial batch is sent after this long without a new item, so slow uploads still get created.</summary>
    public TimeSpan BatchIdle { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Google's items-per-album limit; before an album would pass it, the run continues in "Title (2)".</summary>
    public int AlbumItemLimit { get; init; } = 20_000;

    /// <summary>Saved sessions and upload tokens older than this start over (tokens die at 24 h, docs/protocol.md#lifetimes).</summary>
    public TimeSpan ReuseWithin { get; init; } = TimeSpan.FromHours(23);

    /// <summary>How often a per-item INTERNAL (code 13) failure is retried with the same token.</summary>
    public int CreateAttempts { get; init; } = 3;
}
