using System.Text.Json;
using System.Text.Json.Serialization;

namespace Q2Google.Api;

/// <summary>The one source-generated context for the Library API's JSON (trimming-safe, no reflection).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, GenerationMode = JsonSourceGenerationMode.Metadata,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false)]
[JsonSerializable(typeof(MediaItemBatchCreateRequest))]
[JsonSerializable(typeof(MediaItemBatchCreateResponse))]
[JsonSerializable(typeof(MediaItem))]
[JsonSerializable(typeof(BatchGetMediaItemsResponse))]
[JsonSerializable(typeof(Album))]
[JsonSerializable(typeof(CreateAlbumRequest))]
[JsonSerializable(typeof(ListAlbumsResponse))]
[JsonSerializable(typeof(ListMediaItemsResponse))]
[JsonSerializable(typeof(SearchMediaItemsRequest))]
[JsonSerializable(typeof(BatchAddMediaItemsRequest))]
[JsonSerializable(typeof(EmptyResponse))]
[JsonSerializable(typeof(GoogleErrorResponse))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
