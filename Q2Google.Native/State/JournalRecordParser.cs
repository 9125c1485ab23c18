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
internal sealed class JournalRecordParser
{
    /// <summary>Unix milliseconds that <see cref="DateTimeOffset"/> can hold (years 1 to 9999).</summary>
    private const long MinMilliseconds = -62_135_596_800_000;
    private const long MaxMilliseconds = 253_402_300_799_999;

    /// <summary>Property names are told apart by <see cref="Key(ReadOnlySpan{byte})"/>: their bytes and length in one number.</summary>
    private const int LongestKey = 7;

    private const ulong NoKey = ulong.MaxValue;

    /// <summary>The keys of the names, worked out once (fields of an instance: a cold start reads them without a static's checks).</summary>
    private static readonly JournalRecordParser Instance = new();

    private readonly ulong _kindKey = Key(JournalFields.Kind);
    private readonly ulong _hashKey = Key(JournalFields.Hash);
    private readonly ulong _pathKey = Key(JournalFields.Path);
    private readonly ulong _sizeKey = Key(JournalFields.Size);
    private readonly ulong _modifiedKey = Key(JournalFields.Modified);
    private readonly ulong _quickKey = Key(JournalFields.Quick);
    private readonly ulong _sessionUrlKey = Key(JournalFields.SessionUrl);
    private readonly ulong _granularityKey = Key(JournalFields.Granularity);
    private readonly ulong _offsetKey = Key(JournalFields.Offset);
    private readonly ulong _tokenKey = Key(JournalFields.Token);
    private readonly ulong _idKey = Key(JournalFields.Id);
    private readonly ulong _productUrlKey = Key(JournalFields.ProductUrl);
    private readonly ulong _albumKey = Key(JournalFields.Album);
    private readonly ulong _albumsKey = Key(JournalFields.Albums);
    private readonly ulong _titleKey = Key(JournalFields.Title);
    private readonly ulong _nameKey = Key(JournalFields.Name);
    private readonly ulong _reasonKey = Key(JournalFields.Reason);
    private readonly ulong _atKey = Key(JournalFields.At);
    private readonly ulong _sessionAtKey = Key(JournalFields.SessionAt);
    private readonly ulong _tokenAtKey = Key(JournalFields.TokenAt);
    private readonly ulong _countKey = Key(JournalFields.Count);
    private readonly ulong _fullKey = Key(JournalFields.Full);
    private readonly ulong _versionKey = Key(JournalFields.Version);
    private readonly ulong _generationKey = Key(JournalFields.Generation);

    private JournalRecordParser()
    {
    }

    public static JournalRecord? Parse(ReadOnlySpan<byte> line)
    {
        try
        {
            return Instance.ParseOrThrow(line) is { } record && IsPossible(record) ? record : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            return null;
        }
    }

    private static bool IsPossible(JournalRecord r) =>
        r.Size is null or >= 0 && r.Offset is null or >= 0 && r.Granularity is null or > 0 && r.Count is null or >= 0
        && r.Modified is null or (>= 0 and <= 3_155_378_975_999_999_999)
        && Time(r.At) && Time(r.SessionAt) && Time(r.TokenAt) && r.Generation is null or >= 0
        && (r.Offset is null || r.Size is null || r.Offset <= r.Size);

    private static bool Time(long? milliseconds) => milliseconds is null or (>= MinMilliseconds and <= MaxMilliseconds);

    private JournalRecord? ParseOrThrow(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        string? kind = null, hash = null, quick = null, path = null, url = null, token = null, id = null, productUrl = null, album = null, title = null, name = null, reason = null;
        long? size = null, modified = null, granularity = null, offset = null, at = null, sessionAt = null, tokenAt = null, generation = null;
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
                    Generation = generation,
                };
            }

            if (reader.TokenType != JsonTokenType.PropertyName) return null;
            // Not a switch on the name as text: one number compared a few times costs less, 150,000 lines times ten
            // names. The names every line of a compacted journal has come first.
            var key = Key(reader.ValueSpan);
            if (!reader.Read()) return null;
            if (reader.TokenType == JsonTokenType.Null) continue;
            if (key == _kindKey) kind = reader.GetString();
            else if (key == _hashKey) hash = reader.GetString();
            else if (key == _pathKey) path = reader.GetString();
            else if (key == _sizeKey) size = reader.GetInt64();
            else if (key == _modifiedKey) modified = reader.GetInt64();
            else if (key == _idKey) id = reader.GetString();
            else if (key == _productUrlKey) productUrl = reader.GetString();
            else if (key == _atKey) at = reader.GetInt64();
            else if (key == _quickKey) quick = reader.GetString();
            else if (key == _sessionUrlKey) url = reader.GetString();
            else if (key == _granularityKey) granularity = reader.GetInt64();
            else if (key == _offsetKey) offset = reader.GetInt64();
            else if (key == _tokenKey) token = reader.GetString();
            else if (key == _sessionAtKey) sessionAt = reader.GetInt64();
            else if (key == _tokenAtKey) tokenAt = reader.GetInt64();
            else if (key == _albumKey) album = reader.GetString();
            else if (key == _albumsKey && reader.TokenType == JsonTokenType.StartArray) albums = Strings(ref reader);
            else if (key == _nameKey) name = reader.GetString();
            else if (key == _reasonKey) reason = reader.GetString();
            else if (key == _titleKey) title = reader.GetString();
            else if (key == _countKey) count = reader.GetInt32();
            else if (key == _fullKey) full = reader.GetBoolean();
            else if (key == _versionKey) version = reader.GetInt32();
            else if (key == _generationKey) generation = reader.GetInt64();
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
