using System.Text.Json.Serialization;

namespace Q2Google.Api;

// Albums and the listing/search wire models (docs/protocol.md#albums and #listing-and-paging).

public sealed record Album
{
    public string? Id { get; init; }
    public required string Title { get; init; }
    public string? ProductUrl { get; init; }
    public bool? IsWriteable { get; init; }

    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public long? MediaItemsCount { get; init; }

    public string? CoverPhotoBaseUrl { get; init; }
    public string? CoverPhotoMediaItemId { get; init; }
}

public sealed record CreateAlbumRequest
{
    public required Album Album { get; init; }
}

public sealed record ListAlbumsResponse
{
    public IReadOnlyList<Album>? Albums { get; init; }
    public string? NextPageToken { get; init; }
}

public sealed record ListMediaItemsResponse
{
    public IReadOnlyList<MediaItem>? MediaItems { get; init; }
    public string? NextPageToken { get; init; }
}

public sealed record SearchMediaItemsRequest
{
    public string? AlbumId { get; init; }
    public int? PageSize { get; init; }
    public string? PageToken { get; init; }
    public System.Text.Json.JsonElement? Filters { get; init; }
    public string? OrderBy { get; init; }
}

public sealed record BatchAddMediaItemsRequest
{
    public required IReadOnlyList<string> MediaItemIds { get; init; }
}

/// <summary>The empty <c>{}</c> that batchAddMediaItems answers with.</summary>
public sealed record EmptyResponse;
