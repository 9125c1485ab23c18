using System.Text.Json;
using System.Text.Json.Serialization;

namespace Q2Google.Cli;

/// <summary>The one source-generated context for what the CLI prints as JSON (docs/cli.md).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, GenerationMode = JsonSourceGenerationMode.Metadata, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FileReport))]
[JsonSerializable(typeof(SummaryReport))]
[JsonSerializable(typeof(WaitingReport))]
[JsonSerializable(typeof(TroubleReport))]
[JsonSerializable(typeof(AuthStatusReport))]
[JsonSerializable(typeof(JournalStatus))]
[JsonSerializable(typeof(ItemReport))]
[JsonSerializable(typeof(VerifySummaryReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
