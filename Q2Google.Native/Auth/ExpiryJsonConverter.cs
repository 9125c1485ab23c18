using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Q2Google.Auth;

/// <summary>
/// Reads the expiry formats in the wild: Python's naive UTC with <c>Z</c> and 6 fractional digits or none,
/// rclone's RFC 3339 with an offset, and up to 9 fractional digits. Writes Python's format exactly.
/// </summary>
internal sealed class ExpiryJsonConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.String) throw new JsonException("expiry must be a string");
        return Parse(reader.GetString()) ?? throw new JsonException("expiry is not a date");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is null) writer.WriteNullValue();
        else writer.WriteStringValue(Format(value.Value));
    }

    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = TrimFraction(text.Trim());
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed) ? parsed : null;
    }

    // .NET parses at most 7 fractional digits; Google and Go print up to 9.
    private static string TrimFraction(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0) return text;
        var end = dot + 1;
        while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
        return end - dot - 1 <= 7 ? text : text[..(dot + 8)] + text[end..];
    }
}
