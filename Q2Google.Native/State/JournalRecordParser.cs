using System.Text.Json;

namespace Q2Google.State;

/// <summary>
/// The one reader of journal lines, the mirror of <see cref="JournalRecordWriter"/>: every <see cref="JournalFields"/>
/// name into its property of <see cref="JournalRecord"/>. Written by hand on <see cref="Utf8JsonReader"/> because a
/// 150,000-file journal is replayed at every start: the general deserializer spent most of that second looking up
/// property names. Unknown properties are skipped; anything malformed or impossible (a torn line, a float where a
/// size belongs, a number too large, a time no calendar has, a null in a list) gives null, so one damaged line never
/// takes the journal down.
/// </summary>
internal static class JournalRecordParser
{
    /// <summary>Unix milliseconds that <see cref="DateTimeOffset"/> can hold (years 1 to 9999).</summary>
    private const long MinMilliseconds = -62_135_596_800_000;
    private const long MaxMilliseconds = 253_402_300_799_999;

    /// <summary>Property names are told apart by <see cref="Key(ReadOnlySpan{byte})"/>: their bytes and length in one number.</summary>
    private const int LongestKey = 7;

    private const ulong NoKey = ulong.MaxValue;

    private static readonly ulong KindKey = Key(JournalFields.Kind);
    private static readonly ulong HashKey = Key(JournalFields.Hash);
    private static readonly ulong PathKey = Key(JournalFields.Path);
    private static readonly ulong SizeKey = Key(JournalFields.Size);
    private static readonly ulong ModifiedKey = Key(JournalFields.Modified);
    private static readonly ulong QuickKey = Key(JournalFields.Quick);
    private static readonly ulong SessionUrlKey = Key(JournalFields.SessionUrl);
    private static readonly ulong GranularityKey = Key(JournalFields.Granularity);
    private static readonly ulong OffsetKey = Key(JournalFields.Offset);
    private static readonly ulong TokenKey = Key(JournalFields.Token);
    private static readonly ulong IdKey = Key(JournalFields.Id);
    private static readonly ulong ProductUrlKey = Key(JournalFields.ProductUrl);
    private static readonly ulong AlbumKey = Key(JournalFields.Album);
    private static readonly ulong AlbumsKey = Key(JournalFields.Albums);
    private static readonly ulong TitleKey = Key(JournalFields.Title);
    private static readonly ulong NameKey = Key(JournalFields.Name);
    private static readonly ulong ReasonKey = Key(JournalFields.Reason);
    private static readonly ulong AtKey = Key(JournalFields.At);
    private static readonly ulong SessionAtKey = Key(JournalFields.SessionAt);
    private static readonly ulong TokenAtKey = Key(JournalFields.TokenAt);
    private static readonly ulong CountKey = Key(JournalFields.Count);
    private static readonly ulong FullKey = Key(JournalFields.Full);
    private static readonly ulong VersionKey = Key(JournalFields.Version);

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
            // Not a switch on the name as text: one number compared a few times costs less, 150,000 lines times ten names.
            var key = Key(reader.ValueSpan);
            if (!reader.Read()) return null;
            if (reader.TokenType == JsonTokenType.Null) continue;
            if (key == KindKey) kind = reader.GetString();
            else if (key == HashKey) hash = reader.GetString();
            else if (key == PathKey) path = reader.GetString();
            else if (key == SizeKey) size = reader.GetInt64();
            else if (key == ModifiedKey) modified = reader.GetInt64();
            else if (key == QuickKey) quick = reader.GetString();
            else if (key == SessionUrlKey) url = reader.GetString();
            else if (key == GranularityKey) granularity = reader.GetInt64();
            else if (key == OffsetKey) offset = reader.GetInt64();
            else if (key == TokenKey) token = reader.GetString();
            else if (key == IdKey) id = reader.GetString();
            else if (key == ProductUrlKey) productUrl = reader.GetString();
            else if (key == AlbumKey) album = reader.GetString();
            else if (key == AlbumsKey && reader.TokenType == JsonTokenType.StartArray) albums = Strings(ref reader);
            else if (key == TitleKey) title = reader.GetString();
            else if (key == NameKey) name = reader.GetString();
            else if (key == ReasonKey) reason = reader.GetString();
            else if (key == AtKey) at = reader.GetInt64();
            else if (key == SessionAtKey) sessionAt = reader.GetInt64();
            else if (key == TokenAtKey) tokenAt = reader.GetInt64();
            else if (key == CountKey) count = reader.GetInt32();
            else if (key == FullKey) full = reader.GetBoolean();
            else if (key == VersionKey) version = reader.GetInt32();
            else reader.Skip();
        }

        // No closing brace: a line cut short.
        return null;
    }

    /// <summary>
    /// A property name as it stands in the line, byte for byte (escapes not undone: the writer makes none in a
    /// name), as one number: its length and its bytes. A longer name is none of ours.
    /// </summary>
    private static ulong Key(ReadOnlySpan<byte> name)
    {
        if (name.Length > LongestKey) return NoKey;
        var key = (ulong)name.Length << (8 * LongestKey);
        for (var i = 0; i < name.Length; i++) key |= (ulong)name[i] << (8 * i);
        return key;
    }

    /// <summary>The same number for a name of <see cref="JournalFields"/> (all ASCII, none longer than <see cref="LongestKey"/>).</summary>
    private static ulong Key(string name)
    {
        if (name.Length > LongestKey || !System.Text.Ascii.IsValid(name)) throw new ArgumentException($"\"{name}\" cannot be a journal field name: ASCII, at most {LongestKey} characters");
        var key = (ulong)name.Length << (8 * LongestKey);
        for (var i = 0; i < name.Length; i++) key |= (ulong)name[i] << (8 * i);
        return key;
    }

    /// <summary>An array of strings, the reader on its start; anything but a string in it (a null too) is damage.</summary>
    private static List<string> Strings(ref Utf8JsonReader reader)
    {
        List<string> strings = [];
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            strings.Add(reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new FormatException("not a string in a list of strings"));
        }

        return strings;
    }
}
