using System.Text.Json;
using System.Text.Json.Serialization;

namespace Q2Google.Auth;

/// <summary>Scopes as a JSON list (what we write) or one space-separated string (what Python also accepts).</summary>
internal sealed class ScopesJsonConverter : JsonConverter<IReadOnlyList<string>?>
{
    public override bool HandleNull => true;

    public override IReadOnlyList<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return Split(reader.GetString());
            case JsonTokenType.StartArray:
                var scopes = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.String) throw new JsonException("scopes must be strings");
                    scopes.Add(reader.GetString()!);
                }
                return scopes;
            default:
                throw new JsonException("scopes must be a list or a string");
        }
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string>? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartArray();
        foreach (var scope in value) writer.WriteStringValue(scope);
        writer.WriteEndArray();
    }

    public static IReadOnlyList<string> Split(string? scopes) =>
        (scopes ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
