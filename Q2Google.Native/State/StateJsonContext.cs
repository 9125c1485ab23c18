using System.Text.Json;
using System.Text.Json.Serialization;

namespace Q2Google.State;

/// <summary>The source-generated context for <c>library.json</c> (whose library a folder holds), the jobs' status files and <c>verified.json</c> (its last verify).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, GenerationMode = JsonSourceGenerationMode.Metadata, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true,
    IgnoreReadOnlyProperties = true)]
[JsonSerializable(typeof(LibraryIdentity))]
[JsonSerializable(typeof(ServiceStatus))]
[JsonSerializable(typeof(Verification))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
