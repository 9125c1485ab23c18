namespace Q2Google.State;

/// <summary>
/// One line of the journal. Every field but the kind is optional, so old journals stay readable as fields are
/// added. Each property is written under the <see cref="JournalFields"/> name of the same name, by
/// <see cref="JournalRecordWriter"/>, and read back by <see cref="JournalRecordParser"/>; the record of each
/// kind is made by the writer's method for that kind.
/// </summary>
internal sealed record JournalRecord
{
    /// <summary>One of <see cref="JournalKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>The content hash (XXH128, lower-case hex): the identity of a file, whatever its path.</summary>
    public string? Hash { get; init; }

    public string? Path { get; init; }
    public long? Size { get; init; }

    /// <summary>Last write time, UTC ticks.</summary>
    public long? Modified { get; init; }

    /// <summary>A large file's quick fingerprint (see <c>QuickFingerprint</c>).</summary>
    public string? Quick { get; init; }

    /// <summary>Resumable session URL.</summary>
    public string? SessionUrl { get; init; }

    public long? Granularity { get; init; }
    public long? Offset { get; init; }
    public string? Token { get; init; }

    /// <summary>Media item id, or album id for album records.</summary>
    public string? Id { get; init; }

    public string? ProductUrl { get; init; }

    /// <summary>An album id (created into, added to).</summary>
    public string? Album { get; init; }

    /// <summary>All album ids of a compacted content record.</summary>
    public List<string>? Albums { get; init; }

    public string? Title { get; init; }

    /// <summary>The file name the media item was created with.</summary>
    public string? Name { get; init; }

    public string? Reason { get; init; }

    /// <summary>When, as Unix milliseconds.</summary>
    public long? At { get; init; }

    /// <summary>Compacted records: when the session started / the token was made.</summary>
    public long? SessionAt { get; init; }

    public long? TokenAt { get; init; }

    /// <summary>Album records: items known to be in it.</summary>
    public int? Count { get; init; }

    public bool? Full { get; init; }

    /// <summary>The header's format version.</summary>
    public int? Version { get; init; }

    /// <summary>
    /// The header's journal generation: which index this file continues (see <see cref="IndexFooter.LogGeneration"/>).
    /// Absent in journals written before the index existed, which count as generation 0.
    /// </summary>
    public long? Generation { get; init; }
}
