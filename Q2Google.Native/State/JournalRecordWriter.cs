using System.Buffers;
using System.Text.Json;

namespace Q2Google.State;

/// <summary>
/// The one writer of journal lines, the mirror of <see cref="JournalRecordParser"/>. One method per kind makes
/// that kind's record: the only place a record of that kind is made, so what each kind carries is written down
/// once. <see cref="Write"/> puts any record on a line, every field that is set under its
/// <see cref="JournalFields"/> name, in one fixed order (the order journals have always had), absent fields
/// left out. Written by hand on <see cref="Utf8JsonWriter"/> (the same escaping the serializer used).
/// </summary>
internal sealed class JournalRecordWriter : IDisposable
{
    private static readonly JsonEncodedText KindName = JsonEncodedText.Encode(JournalFields.Kind);
    private static readonly JsonEncodedText HashName = JsonEncodedText.Encode(JournalFields.Hash);
    private static readonly JsonEncodedText PathName = JsonEncodedText.Encode(JournalFields.Path);
    private static readonly JsonEncodedText SizeName = JsonEncodedText.Encode(JournalFields.Size);
    private static readonly JsonEncodedText ModifiedName = JsonEncodedText.Encode(JournalFields.Modified);
    private static readonly JsonEncodedText QuickName = JsonEncodedText.Encode(JournalFields.Quick);
    private static readonly JsonEncodedText SessionUrlName = JsonEncodedText.Encode(JournalFields.SessionUrl);
    private static readonly JsonEncodedText GranularityName = JsonEncodedText.Encode(JournalFields.Granularity);
    private static readonly JsonEncodedText OffsetName = JsonEncodedText.Encode(JournalFields.Offset);
    private static readonly JsonEncodedText TokenName = JsonEncodedText.Encode(JournalFields.Token);
    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode(JournalFields.Id);
    private static readonly JsonEncodedText ProductUrlName = JsonEncodedText.Encode(JournalFields.ProductUrl);
    private static readonly JsonEncodedText AlbumName = JsonEncodedText.Encode(JournalFields.Album);
    private static readonly JsonEncodedText AlbumsName = JsonEncodedText.Encode(JournalFields.Albums);
    private static readonly JsonEncodedText TitleName = JsonEncodedText.Encode(JournalFields.Title);
    private static readonly JsonEncodedText NameName = JsonEncodedText.Encode(JournalFields.Name);
    private static readonly JsonEncodedText ReasonName = JsonEncodedText.Encode(JournalFields.Reason);
    private static readonly JsonEncodedText AtName = JsonEncodedText.Encode(JournalFields.At);
    private static readonly JsonEncodedText SessionAtName = JsonEncodedText.Encode(JournalFields.SessionAt);
    private static readonly JsonEncodedText TokenAtName = JsonEncodedText.Encode(JournalFields.TokenAt);
    private static readonly JsonEncodedText CountName = JsonEncodedText.Encode(JournalFields.Count);
    private static readonly JsonEncodedText FullName = JsonEncodedText.Encode(JournalFields.Full);
    private static readonly JsonEncodedText VersionName = JsonEncodedText.Encode(JournalFields.Version);
    private static readonly JsonEncodedText GenerationName = JsonEncodedText.Encode(JournalFields.Generation);

    /// <summary>For <see cref="LineOf"/>: appends come from several threads, each reuses its own.</summary>
    [ThreadStatic]
    private static JournalRecordWriter? _ofThread;

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _json;

    public JournalRecordWriter() => _json = new Utf8JsonWriter(_buffer);

    public static JournalRecord Header(int version, long generation, long at) => new()
    {
        Kind = JournalKinds.Header, At = at, Version = version, Generation = generation,
    };

    public static JournalRecord Path(string path, long size, long modified, string hash, string? quick = null) => new()
    {
        Kind = JournalKinds.Path, Hash = hash, Path = path, Size = size, Modified = modified, Quick = quick,
    };

    public static JournalRecord Session(string hash, string url, long granularity, long at) => new()
    {
        Kind = JournalKinds.Session, Hash = hash, SessionUrl = url, Granularity = granularity, At = at,
    };

    public static JournalRecord Offset(string hash, long offset) => new() { Kind = JournalKinds.Offset, Hash = hash, Offset = offset };

    public static JournalRecord Token(string hash, string token, long at) => new() { Kind = JournalKinds.Token, Hash = hash, Token = token, At = at };

    public static JournalRecord Created(string hash, string mediaItemId, string? productUrl, string? albumId, string name, long at) => new()
    {
        Kind = JournalKinds.Created, Hash = hash, Id = mediaItemId, ProductUrl = productUrl, Album = albumId, Name = name, At = at,
    };

    /// <param name="hash">Null when the file could not be read to hash it (the line is then kept but not replayed).</param>
    public static JournalRecord Failed(string? hash, string path, string reason, long at) => new()
    {
        Kind = JournalKinds.Failed, Hash = hash, Path = path, Reason = reason, At = at,
    };

    public static JournalRecord Discard(string hash, string reason, long at) => new() { Kind = JournalKinds.Discard, Hash = hash, Reason = reason, At = at };

    /// <summary>An album as it is made (<paramref name="at"/>), or as compaction summarises it (<paramref name="count"/>, <paramref name="full"/>).</summary>
    public static JournalRecord Album(string title, string id, long? at = null, int? count = null, bool full = false) => new()
    {
        Kind = JournalKinds.Album, Id = id, Title = title, At = at, Count = count, Full = full ? true : null,
    };

    public static JournalRecord AlbumFull(string id, long at) => new() { Kind = JournalKinds.AlbumFull, Id = id, At = at };

    public static JournalRecord Added(string hash, string albumId, long at) => new() { Kind = JournalKinds.Added, Hash = hash, Album = albumId, At = at };

    /// <param name="mediaItemId">The item Google no longer has: only that one is forgotten, not one created since.</param>
    public static JournalRecord Missing(string hash, string mediaItemId, long at) => new() { Kind = JournalKinds.Missing, Hash = hash, Id = mediaItemId, At = at };

    /// <summary>One record as one line, newline included.</summary>
    public static byte[] LineOf(JournalRecord record) => (_ofThread ??= new JournalRecordWriter()).Line(record).ToArray();

    /// <summary>One record as one line, newline included, in a buffer this writer reuses: valid until its next call.</summary>
    public ReadOnlySpan<byte> Line(JournalRecord record)
    {
        _buffer.ResetWrittenCount();
        _json.Reset();
        Write(_json, record);
        _json.Flush();
        _buffer.Write("\n"u8);
        return _buffer.WrittenSpan;
    }

    /// <summary>Writes <paramref name="r"/> as one JSON object: every field that is set, in the order journals have always had.</summary>
    public static void Write(Utf8JsonWriter json, JournalRecord r)
    {
        json.WriteStartObject();
        json.WriteString(KindName, r.Kind);
        Text(json, HashName, r.Hash);
        Text(json, PathName, r.Path);
        Number(json, SizeName, r.Size);
        Number(json, ModifiedName, r.Modified);
        Text(json, QuickName, r.Quick);
        Text(json, SessionUrlName, r.SessionUrl);
        Number(json, GranularityName, r.Granularity);
        Number(json, OffsetName, r.Offset);
        Text(json, TokenName, r.Token);
        Text(json, IdName, r.Id);
        Text(json, ProductUrlName, r.ProductUrl);
        Text(json, AlbumName, r.Album);
        if (r.Albums is { } albums)
        {
            json.WriteStartArray(AlbumsName);
            foreach (var album in albums) json.WriteStringValue(album);
            json.WriteEndArray();
        }

        Text(json, TitleName, r.Title);
        Text(json, NameName, r.Name);
        Text(json, ReasonName, r.Reason);
        Number(json, AtName, r.At);
        Number(json, SessionAtName, r.SessionAt);
        Number(json, TokenAtName, r.TokenAt);
        Number(json, CountName, r.Count);
        if (r.Full is { } full) json.WriteBoolean(FullName, full);
        Number(json, VersionName, r.Version);
        Number(json, GenerationName, r.Generation);
        json.WriteEndObject();
    }

    private static void Text(Utf8JsonWriter json, JsonEncodedText name, string? value)
    {
        if (value is not null) json.WriteString(name, value);
    }

    private static void Number(Utf8JsonWriter json, JsonEncodedText name, long? value)
    {
        if (value is { } number) json.WriteNumber(name, number);
    }

    public void Dispose() => _json.Dispose();
}
