using System.Text.Json;
using System.Text.Json.Serialization;

namespace Q2Google.State;

/// <summary>The source-generated context for <c>library.json</c>, which says whose library a folder holds.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, GenerationMode = JsonSourceGenerationMode.Metadata, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true,
    IgnoreReadOnlyProperties = true)]
[JsonSerializable(typeof(LibraryIdentity))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
