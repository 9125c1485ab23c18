using System.Text.Json;
using System.Text.Json.Serialization;

namespace Q2Google.Emulator;

/// <summary>
/// The emulator reads requests strictly: like Google, it refuses JSON with fields it does not know
/// ("Invalid JSON payload received. Unknown name …"), so a typo in our client cannot pass unnoticed.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, GenerationMode = JsonSourceGenerationMode.Metadata,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(MediaItemBatchCreateRequest))]
[JsonSerializable(typeof(MediaItemBatchCreateResponse))]
[JsonSerializable(typeof(CreateAlbumRequest))]
[JsonSerializable(typeof(SearchMediaItemsRequest))]
[JsonSerializable(typeof(BatchAddMediaItemsRequest))]
[JsonSerializable(typeof(MediaItem))]
[JsonSerializable(typeof(Album))]
[JsonSerializable(typeof(ListAlbumsResponse))]
[JsonSerializable(typeof(ListMediaItemsResponse))]
[JsonSerializable(typeof(BatchGetMediaItemsResponse))]
[JsonSerializable(typeof(EmulatorSnapshot))]
internal sealed partial class EmulatorJsonContext : JsonSerializerContext;
