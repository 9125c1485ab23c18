using System.Text.Json;
using System.Text.Json.Serialization;

namespace Q2Google.Api;

// The batchCreate wire models (docs/protocol.md#batchcreate). Kept together because they only make sense as a set.

/// <summary>An uploaded file to turn into a media item: the upload token plus the name Google should show.</summary>
public sealed record SimpleMediaItem
{
    public required string UploadToken { get; init; }

    /// <summary>At most 255 characters; the right place for Unicode names (the upload header must be ASCII).</summary>
    public string? FileName { get; init; }
}

public sealed record NewMediaItem
{
    /// <summary>Shorter than 1000 characters.</summary>
    public string? Description { get; init; }

    public required SimpleMediaItem SimpleMediaItem { get; init; }
}

public sealed record AlbumPosition
{
    /// <summary><c>FIRST_IN_ALBUM</c>, <c>LAST_IN_ALBUM</c>, <c>AFTER_MEDIA_ITEM</c> or <c>AFTER_ENRICHMENT_ITEM</c>.</summary>
    public required string Position { get; init; }
    public string? RelativeMediaItemId { get; init; }
    public string? RelativeEnrichmentItemId { get; init; }
}

public sealed record MediaItemBatchCreateRequest
{
    public string? AlbumId { get; init; }
    public required IReadOnlyList<NewMediaItem> NewMediaItems { get; init; }

    /// <summary>Only valid together with <see cref="AlbumId"/>: Google rejects the request otherwise.</summary>
    public AlbumPosition? AlbumPosition { get; init; }
}

/// <summary>A <c>google.rpc.Status</c>. Google leaves <see cref="Code"/> out when it is 0 (OK).</summary>
public sealed record Status
{
    public int? Code { get; init; }
    public string? Message { get; init; }
    public JsonElement? Details { get; init; }

    [JsonIgnore]
    public bool IsOk => (Code ?? 0) == 0;
}

public sealed record MediaMetadata
{
    /// <summary>RFC 3339 with up to 9 fractional digits; kept as text because .NET keeps only 7.</summary>
    public string? CreationTime { get; init; }

    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public long? Width { get; init; }

    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public long? Height { get; init; }

    public JsonElement? Photo { get; init; }
    public JsonElement? Video { get; init; }

    /// <summary>Keys this version does not know, kept so a round trip loses nothing.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed record MediaItem
{
    public required string Id { get; init; }
    public string? Description { get; init; }
    public string? ProductUrl { get; init; }

    /// <summary>Expires after about an hour: never store it.</summary>
    public string? BaseUrl { get; init; }

    public string? MimeType { get; init; }
    public MediaMetadata? MediaMetadata { get; init; }

    [JsonPropertyName("filename")]
    public string? Filename { get; init; }
}

public sealed record NewMediaItemResult
{
    public string? UploadToken { get; init; }
    public Status? Status { get; init; }

    /// <summary>Present only when the item was created.</summary>
    public MediaItem? MediaItem { get; init; }
}

public sealed record MediaItemBatchCreateResponse
{
    public IReadOnlyList<NewMediaItemResult>? NewMediaItemResults { get; init; }
}

/// <summary>One answer of <c>mediaItems:batchGet</c>: the item, or why it cannot be had (deleted, another app's, unknown).</summary>
public sealed record MediaItemResult
{
    public MediaItem? MediaItem { get; init; }
    public Status? Status { get; init; }
}

public sealed record BatchGetMediaItemsResponse
{
    /// <summary>In request order (docs/protocol.md#listing-and-paging); missing when Google had nothing to say.</summary>
    public IReadOnlyList<MediaItemResult>? MediaItemResults { get; init; }
}
