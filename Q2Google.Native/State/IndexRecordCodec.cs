using System.Buffers.Binary;
using System.Text;

namespace Q2Google.State;

/// <summary>
/// One record of the index (docs/architecture.md#the-journal): a path as last seen, with the whole state of the
/// content it holds, so an unchanged file is decided from the one record its path leads to. A content held by
/// several paths is in each of their records; the record at the content's last path is its canonical one (the
/// hash index points there). A content no path holds any more has an orphan record, with an empty path.
/// <code>
/// u16 path length, path (UTF-8) | i64 size | i64 modified (ticks) | hash (16 bytes) | u8 flags | varint content size
/// [quick fingerprint (16)] [session: url or none, granularity + 1, at, offset] [token: token or none, at]
/// [media item: id, product URL (by prefix or in full), at] [failure: reason, path] [last path, if not this one]
/// [albums: count, numbers]
/// </code>
/// Strings are a varint length and UTF-8; times are Unix milliseconds, <see cref="long.MinValue"/> for none.
/// </summary>
internal static class IndexRecordCodec
{
    public const int HashBytes = 16;

    [Flags]
    private enum Parts : byte
    {
        Canonical = 1,
        Quick = 2,
        Session = 4,
        Token = 8,
        Created = 16,
        Failure = 32,
        OtherLastPath = 64,
        Albums = 128,
    }

    private const int FixedAfterPath = 8 + 8 + HashBytes + 1;

    /// <summary>Appends the record; returns whether it is the content's canonical one (its last path).</summary>
    /// <param name="path">The path, or null for an orphan record.</param>
    public static bool Write(IndexBuffer buffer, string? path, long size, long modified, ContentState content, IndexTables tables)
    {
        var canonical = path is null || content.LastPath == path;
        var parts = (canonical ? Parts.Canonical : 0)
            | (content.Quick is { } q && IsHash(q) ? Parts.Quick : 0)
            | (content.SessionUrl is not null || content.SessionAt is not null || content.Granularity is not null ? Parts.Session : 0)
            | (content.Token is not null || content.TokenAt is not null ? Parts.Token : 0)
            | (content.MediaItemId is not null ? Parts.Created : 0)
            | (content.LastFailure is not null ? Parts.Failure : 0)
            | (content.LastPath != path ? Parts.OtherLastPath : 0)
            | (content.Albums.Count > 0 ? Parts.Albums : 0);
        var pathBytes = path is null ? 0 : Encoding.UTF8.GetByteCount(path);
        buffer.UInt16(pathBytes);
        if (path is not null) Encoding.UTF8.GetBytes(path, buffer.Take(pathBytes));
        buffer.Int64(size);
        buffer.Int64(modified);
        if (!IsHash(content.Hash)) throw new ArgumentException($"content hash '{content.Hash}' is not 32 hex digits");
        Convert.FromHexString(content.Hash, buffer.Take(HashBytes), out _, out _);

        buffer.Byte((byte)parts);
        buffer.VarInt((ulong)content.Size);
        if ((parts & Parts.Quick) != 0) Convert.FromHexString(content.Quick!, buffer.Take(HashBytes), out _, out _);
        if ((parts & Parts.Session) != 0)
        {
            // What a later record cleared (the URL, once the bytes are up) goes as null; the rest of the session stays.
            NullableString(buffer, content.SessionUrl);
            buffer.VarInt(content.Granularity is { } g ? (ulong)g + 1 : 0);
            buffer.Int64(Time(content.SessionAt));
            buffer.VarInt((ulong)content.Offset);
        }

        if ((parts & Parts.Token) != 0)
        {
            NullableString(buffer, content.Token);
            buffer.Int64(Time(content.TokenAt));
        }

        if (content.MediaItemId is { } id)
        {
            buffer.String(id);
            WriteProductUrl(buffer, id, content.ProductUrl, tables);
            buffer.Int64(Time(content.CreatedAt));
        }

        if (content.LastFailure is { } reason)
        {
            buffer.String(reason);
            buffer.String(content.LastFailurePath ?? "");
        }

        if ((parts & Parts.OtherLastPath) != 0) buffer.String(content.LastPath ?? "");
        if (content.Albums.Count > 0)
        {
            buffer.VarInt((ulong)content.Albums.Count);
            foreach (var album in content.Albums) buffer.VarInt((ulong)tables.AlbumNumber(album));
        }

        return canonical;
    }

    private static void NullableString(IndexBuffer buffer, string? value)
    {
        buffer.Byte(value is null ? (byte)0 : (byte)1);
        if (value is not null) buffer.String(value);
    }

    private static string? NullableString(ref IndexSpanReader reader) => reader.Byte() == 0 ? null : reader.String();

    private static void WriteProductUrl(IndexBuffer buffer, string id, string? url, IndexTables tables)
    {
        if (url is null)
        {
            buffer.Byte(0);
        }
        else if (url.Length > id.Length && url.EndsWith(id, StringComparison.Ordinal))
        {
            buffer.Byte(1);
            buffer.VarInt((ulong)tables.PrefixNumber(url[..^id.Length]));
        }
        else
        {
            buffer.Byte(2);
            buffer.String(url);
        }
    }

    /// <summary>An XXH128 in hex, as q2google writes content hashes and quick fingerprints: what a record can hold.</summary>
    public static bool IsHash(string hash) => hash.Length == 2 * HashBytes && hash.All(char.IsAsciiHexDigit);

    /// <summary>The path of a record, as UTF-8 (empty for an orphan).</summary>
    public static ReadOnlySpan<byte> PathOf(ReadOnlySpan<byte> record) =>
        record.Length >= 2 && 2 + BinaryPrimitives.ReadUInt16LittleEndian(record) + FixedAfterPath <= record.Length
            ? record.Slice(2, BinaryPrimitives.ReadUInt16LittleEndian(record))
            : throw new IndexDamagedException("a record is shorter than its path");

    public static long SizeOf(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadInt64LittleEndian(record[(2 + PathOf(record).Length)..]);

    public static long ModifiedOf(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadInt64LittleEndian(record[(10 + PathOf(record).Length)..]);

    public static ReadOnlySpan<byte> HashOf(ReadOnlySpan<byte> record) => record.Slice(18 + PathOf(record).Length, HashBytes);

    public static bool IsCanonical(ReadOnlySpan<byte> record) => ((Parts)record[18 + PathOf(record).Length + HashBytes] & Parts.Canonical) != 0;

    /// <summary>The quick fingerprint of a canonical record's content, if it has one.</summary>
    public static ReadOnlySpan<byte> QuickOf(ReadOnlySpan<byte> record)
    {
        var reader = new IndexSpanReader(record) { Position = 18 + PathOf(record).Length + HashBytes };
        if (((Parts)reader.Byte() & Parts.Quick) == 0) return default;
        reader.VarInt();
        return reader.Bytes(HashBytes);
    }

    /// <summary>The content a record holds.</summary>
    /// <param name="path">The record's path when the caller has it as text already (saves decoding it).</param>
    public static ContentState Read(ReadOnlySpan<byte> record, IndexTables tables, string? path = null)
    {
        var pathBytes = PathOf(record);
        path ??= pathBytes.IsEmpty ? null : Encoding.UTF8.GetString(pathBytes);
        var reader = new IndexSpanReader(record) { Position = 18 + pathBytes.Length };
        var content = new ContentState(Convert.ToHexStringLower(reader.Bytes(HashBytes)));
        var parts = (Parts)reader.Byte();
        content.Size = checked((long)reader.VarInt());
        if ((parts & Parts.Quick) != 0) content.Quick = Convert.ToHexStringLower(reader.Bytes(HashBytes));
        if ((parts & Parts.Session) != 0)
        {
            content.SessionUrl = NullableString(ref reader);
            content.Granularity = reader.VarInt() is var g and > 0 ? (long)g - 1 : null;
            content.SessionAt = Time(reader.Int64());
            content.Offset = checked((long)reader.VarInt());
        }

        if ((parts & Parts.Token) != 0)
        {
            content.Token = NullableString(ref reader);
            content.TokenAt = Time(reader.Int64());
        }

        if ((parts & Parts.Created) != 0)
        {
            var id = reader.String();
            content.MediaItemId = id;
            content.ProductUrl = reader.Byte() switch
            {
                0 => null,
                1 => tables.Prefix(checked((int)reader.VarInt())) + id,
                _ => reader.String(),
            };
            content.CreatedAt = Time(reader.Int64());
        }

        if ((parts & Parts.Failure) != 0)
        {
            content.LastFailure = reader.String();
            content.LastFailurePath = reader.String() is { Length: > 0 } failedAt ? failedAt : null;
        }

        content.LastPath = (parts & Parts.OtherLastPath) != 0 ? reader.String() is { Length: > 0 } last ? last : null : path;
        if ((parts & Parts.Albums) != 0)
        {
            var count = reader.Length();
            for (var i = 0; i < count; i++) content.AddAlbum(tables.AlbumId(checked((int)reader.VarInt())));
        }

        return content;
    }

    private static long Time(DateTimeOffset? at) => at?.ToUnixTimeMilliseconds() ?? long.MinValue;

    private static DateTimeOffset? Time(long ms) => ms == long.MinValue ? null : DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
