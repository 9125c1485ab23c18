using System.Text.Json;
using System.Text.Json.Serialization;

namespace Q2Google.Emulator;

// The Library API's JSON as the emulator reads and writes it, written from docs/protocol.md rather than shared
// with the client: a misspelt field in the client's models must be refused here, not mirrored.

internal sealed record MediaItemBatchCreateRequest
{
    public string? AlbumId { get; init; }
    public required IReadOnlyList<NewMediaItem> NewMediaItems { get; init; }
    public AlbumPosition? AlbumPosition { get; init; }
}

internal sealed record NewMediaItem
{
    public string? Description { get; init; }
    public required SimpleMediaItem SimpleMediaItem { get; init; }
}

internal sealed record SimpleMediaItem
{
    public required string UploadToken { get; init; }
    public string? FileName { get; init; }
}

internal sealed record AlbumPosition
{
    public required string Position { get; init; }
    public string? RelativeMediaItemId { get; init; }
    public string? RelativeEnrichmentItemId { get; init; }
}

internal sealed record MediaItemBatchCreateResponse
{
    public required IReadOnlyList<NewMediaItemResult> NewMediaItemResults { get; init; }
}

internal sealed record NewMediaItemResult
{
    public string? UploadToken { get; init; }
    public required Status Status { get; init; }
    public MediaItem? MediaItem { get; init; }
}

/// <summary>A <c>google.rpc.Status</c>; <see cref="Code"/> is left out for OK, as Google does.</summary>
internal sealed record Status
{
    public int? Code { get; init; }
    public string? Message { get; init; }

    [JsonIgnore]
    public bool IsOk => (Code ?? 0) == 0;
}

internal sealed record MediaItem
{
    public required string Id { get; init; }
    public string? Description { get; init; }
    public string? ProductUrl { get; init; }
    public string? BaseUrl { get; init; }
    public string? MimeType { get; init; }
    public MediaMetadata? MediaMetadata { get; init; }

    [JsonPropertyName("filename")]
    public string? Filename { get; init; }
}

internal sealed record MediaMetadata
{
    public string? CreationTime { get; init; }
}

internal sealed record Album
{
    public string? Id { get; init; }
    public required string Title { get; init; }
    public string? ProductUrl { get; init; }
    public bool? IsWriteable { get; init; }

    /// <summary>An int64, so a string in JSON.</summary>
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public long? MediaItemsCount { get; init; }
}

internal sealed record CreateAlbumRequest
{
    public required Album Album { get; init; }
}

internal sealed record ListAlbumsResponse
{
    public IReadOnlyList<Album>? Albums { get; init; }
    public string? NextPageToken { get; init; }
}

internal sealed record ListMediaItemsResponse
{
    public IReadOnlyList<MediaItem>? MediaItems { get; init; }
    public string? NextPageToken { get; init; }
}

internal sealed record SearchMediaItemsRequest
{
    public string? AlbumId { get; init; }
    public int? PageSize { get; init; }
    public string? PageToken { get; init; }
    public JsonElement? Filters { get; init; }
    public string? OrderBy { get; init; }
}

internal sealed record BatchAddMediaItemsRequest
{
    public required IReadOnlyList<string> MediaItemIds { get; init; }
}

internal sealed record BatchGetMediaItemsResponse
{
    public required IReadOnlyList<MediaItemResult> MediaItemResults { get; init; }
}

internal sealed record MediaItemResult
{
    public MediaItem? MediaItem { get; init; }
    public Status? Status { get; init; }
}
