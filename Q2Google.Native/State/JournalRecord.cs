using System.Text.Json.Serialization;

namespace Q2Google.State;

/// <summary>
/// One line of the journal. Short keys keep a 150,000-file journal small enough to load in a fraction of a
/// second; every field but the kind is optional, so old journals stay readable as fields are added.
/// </summary>
public sealed record JournalRecord
{
    /// <summary>
    /// <c>path</c> (a file seen: path, size, mtime, hash), <c>session</c> (resumable session started),
    /// <c>offset</c> (bytes confirmed), <c>token</c> (upload token), <c>created</c> (media item created),
    /// <c>failed</c>, <c>album</c> (album id for a title), <c>album-full</c>, <c>added</c> (item put into an
    /// album), <c>content</c> (a compacted summary of all of one content's state).
    /// </summary>
    [JsonPropertyName("k")] public required string Kind { get; init; }

    /// <summary>The content hash (XXH128, lower-case hex): the identity of a file, whatever its path.</summary>
    [JsonPropertyName("h")] public string? Hash { get; init; }

    [JsonPropertyName("p")] public string? Path { get; init; }
    [JsonPropertyName("s")] public long? Size { get; init; }

    /// <summary>Last write time, UTC ticks.</summary>
    [JsonPropertyName("m")] public long? Modified { get; init; }

    /// <summary>A large file's quick fingerprint (see <c>QuickFingerprint</c>).</summary>
    [JsonPropertyName("q")] public string? Quick { get; init; }

    /// <summary>Resumable session URL.</summary>
    [JsonPropertyName("u")] public string? SessionUrl { get; init; }

    [JsonPropertyName("g")] public long? Granularity { get; init; }
    [JsonPropertyName("o")] public long? Offset { get; init; }
    [JsonPropertyName("t")] public string? Token { get; init; }

    /// <summary>Media item id, or album id for album records.</summary>
    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("url")] public string? ProductUrl { get; init; }

    /// <summary>An album id (created into, added to).</summary>
    [JsonPropertyName("a")] public string? Album { get; init; }

    /// <summary>All album ids of a compacted content record.</summary>
    [JsonPropertyName("as")] public List<string>? Albums { get; init; }

    [JsonPropertyName("title")] public string? Title { get; init; }

    /// <summary>The file name the media item was created with.</summary>
    [JsonPropertyName("n")] public string? Name { get; init; }

    [JsonPropertyName("r")] public string? Reason { get; init; }

    /// <summary>When, as Unix milliseconds.</summary>
    [JsonPropertyName("at")] public long? At { get; init; }

    /// <summary>Compacted records: when the session started / the token was made.</summary>
    [JsonPropertyName("uat")] public long? SessionAt { get; init; }

    [JsonPropertyName("tat")] public long? TokenAt { get; init; }

    /// <summary>Album records: items known to be in it.</summary>
    [JsonPropertyName("c")] public int? Count { get; init; }

    [JsonPropertyName("full")] public bool? Full { get; init; }

    /// <summary>The header's format version.</summary>
    [JsonPropertyName("v")] public int? Version { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JournalRecord))]
internal sealed partial class JournalJsonContext : JsonSerializerContext;
