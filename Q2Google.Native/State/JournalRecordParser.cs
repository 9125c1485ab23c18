using System.Text.Json;

namespace Q2Google.State;

/// <summary>
/// Reads one journal line. Written by hand on <see cref="Utf8JsonReader"/> because a 150,000-file journal is
/// replayed at every start: the general deserializer spent most of that second looking up property names.
/// Unknown properties are skipped; anything malformed or impossible (a torn line, a float where a size belongs,
/// a number too large, a time no calendar has) gives null, so one damaged line never takes the journal down.
/// </summary>
internal static class JournalRecordParser
{
    /// <summary>Unix milliseconds that <see cref="DateTimeOffset"/> can hold (years 1 to 9999).</summary>
    private const long MinMilliseconds = -62_135_596_800_000;
    private const long MaxMilliseconds = 253_402_300_799_999;

    public static JournalRecord? Parse(ReadOnlySpan<byte> line)
    {
        try
        {
            return ParseOrThrow(line) is { } record && IsPossible(record) ? record : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            return null;
        }
    }

    private static bool IsPossible(JournalRecord r) =>
        r.Size is null or >= 0 && r.Offset is null or >= 0 && r.Granularity is null or > 0 && r.Count is null or >= 0
        && r.Modified is null or (>= 0 and <= 3_155_378_975_999_999_999)
        && Time(r.At) && Time(r.SessionAt) && Time(r.TokenAt)
        && (r.Offset is null || r.Size is null || r.Offset <= r.Size);

    private static bool Time(long? milliseconds) => milliseconds is null or (>= MinMilliseconds and <= MaxMilliseconds);

    private static JournalRecord? ParseOrThrow(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        string? kind = null, hash = null, quick = null, path = null, url = null, token = null, id = null, productUrl = null, album = null, title = null, name = null, reason = null;
        long? size = null, modified = null, granularity = null, offset = null, at = null, sessionAt = null, tokenAt = null;
        int? count = null, version = null;
        bool? full = null;
        List<string>? albums = null;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return kind is null ? null : new JournalRecord
                {
                    Kind = kind, Hash = hash, Quick = quick, Path = path, Size = size, Modified = modified, SessionUrl = url, Granularity = granularity,
                    Offset = offset, Token = token, Id = id, ProductUrl = productUrl, Album = album, Albums = albums, Title = title,
                    Name = name, Reason = reason, At = at, SessionAt = sessionAt, TokenAt = tokenAt, Count = count, Full = full, Version = version,
                };
            }

            if (reader.TokenType != JsonTokenType.PropertyName) return null;
            var property = reader.ValueSpan;
            if (!reader.Read()) return null;
            if (reader.TokenType == JsonTokenType.Null) continue;
            switch (property.Length)
            {
                case 1:
                    switch (property[0])
                    {
                        case (byte)'k': kind = reader.GetString(); break;
                        case (byte)'h': hash = reader.GetString(); break;
                        case (byte)'p': path = reader.GetString(); break;
                        case (byte)'s': size = reader.GetInt64(); break;
                        case (byte)'m': modified = reader.GetInt64(); break;
                        case (byte)'u': url = reader.GetString(); break;
                        case (byte)'g': granularity = reader.GetInt64(); break;
                        case (byte)'o': offset = reader.GetInt64(); break;
                        case (byte)'t': token = reader.GetString(); break;
                        case (byte)'a': album = reader.GetString(); break;
                        case (byte)'n': name = reader.GetString(); break;
                        case (byte)'r': reason = reader.GetString(); break;
                        case (byte)'c': count = reader.GetInt32(); break;
                        case (byte)'v': version = reader.GetInt32(); break;
                        case (byte)'q': quick = reader.GetString(); break;
                        default: reader.Skip(); break;
                    }

                    break;
                default:
                    if (property.SequenceEqual("id"u8)) id = reader.GetString();
                    else if (property.SequenceEqual("url"u8)) productUrl = reader.GetString();
                    else if (property.SequenceEqual("at"u8)) at = reader.GetInt64();
                    else if (property.SequenceEqual("uat"u8)) sessionAt = reader.GetInt64();
                    else if (property.SequenceEqual("tat"u8)) tokenAt = reader.GetInt64();
                    else if (property.SequenceEqual("title"u8)) title = reader.GetString();
                    else if (property.SequenceEqual("full"u8)) full = reader.GetBoolean();
                    else if (property.SequenceEqual("as"u8) && reader.TokenType == JsonTokenType.StartArray)
                    {
                        albums = [];
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) albums.Add(reader.GetString()!);
                    }
                    else reader.Skip();
                    break;
            }
        }

        // No closing brace: a line cut short.
        return null;
    }
}
