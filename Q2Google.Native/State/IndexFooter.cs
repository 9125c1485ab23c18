using System.Buffers.Binary;
using System.IO.Hashing;

namespace Q2Google.State;

/// <summary>
/// The last <see cref="Length"/> bytes of an index file: where its parts are, how far into which journal file it
/// reaches, and checksums of itself and of everything between the record blocks and itself. An index is
/// written whole to a temporary file and renamed into place, so a footer that does not check out means damage.
/// </summary>
internal sealed record IndexFooter
{
    public const int Length = 128;
    private const ulong Magic = 0x3158_4544_4e49_4751; // "QGINDEX1", little-endian
    private const int Version = 1;

    /// <summary>The journal file (its <c>gen</c>) whose records up to <see cref="LogOffset"/> this index holds.</summary>
    public long LogGeneration { get; init; }

    public long LogOffset { get; init; }
    public int RecordCount { get; init; }

    /// <summary>Records with a path (sorted by it); the orphan records follow them.</summary>
    public int PathRecordCount { get; init; }

    public long BlockIndexOffset { get; init; }
    public int BlockCount { get; init; }
    public int PathBlockCount { get; init; }
    public long HashIndexOffset { get; init; }
    public int HashCount { get; init; }
    public long HashSparseOffset { get; init; }
    public long QuickIndexOffset { get; init; }
    public int QuickCount { get; init; }
    public long QuickSparseOffset { get; init; }
    public long TablesOffset { get; init; }

    /// <summary>XxHash3 of the block index and then the tables (the key tables are checked record by record instead).</summary>
    public ulong MetadataChecksum { get; init; }

    public void Write(Span<byte> bytes)
    {
        bytes[..Length].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[8..], Version);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[12..], LogGeneration);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[20..], LogOffset);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[28..], RecordCount);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[32..], PathRecordCount);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[36..], BlockIndexOffset);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[44..], BlockCount);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[48..], PathBlockCount);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[52..], HashIndexOffset);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[60..], HashCount);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[64..], HashSparseOffset);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[72..], QuickIndexOffset);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[80..], QuickCount);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[84..], QuickSparseOffset);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[92..], TablesOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[100..], MetadataChecksum);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[(Length - 8)..], XxHash3.HashToUInt64(bytes[..(Length - 8)]));
    }

    public static IndexFooter Read(ReadOnlySpan<byte> bytes, long fileLength)
    {
        if (bytes.Length < Length || BinaryPrimitives.ReadUInt64LittleEndian(bytes) != Magic) throw new IndexDamagedException("it does not end in an index footer");
        if (BinaryPrimitives.ReadUInt64LittleEndian(bytes[(Length - 8)..]) != XxHash3.HashToUInt64(bytes[..(Length - 8)]))
        {
            throw new IndexDamagedException("its footer's checksum does not match");
        }

        if (BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]) != Version) throw new IndexDamagedException("it was written by another version of q2google");
        var footer = new IndexFooter
        {
            LogGeneration = BinaryPrimitives.ReadInt64LittleEndian(bytes[12..]),
            LogOffset = BinaryPrimitives.ReadInt64LittleEndian(bytes[20..]),
            RecordCount = BinaryPrimitives.ReadInt32LittleEndian(bytes[28..]),
            PathRecordCount = BinaryPrimitives.ReadInt32LittleEndian(bytes[32..]),
            BlockIndexOffset = BinaryPrimitives.ReadInt64LittleEndian(bytes[36..]),
            BlockCount = BinaryPrimitives.ReadInt32LittleEndian(bytes[44..]),
            PathBlockCount = BinaryPrimitives.ReadInt32LittleEndian(bytes[48..]),
            HashIndexOffset = BinaryPrimitives.ReadInt64LittleEndian(bytes[52..]),
            HashCount = BinaryPrimitives.ReadInt32LittleEndian(bytes[60..]),
            HashSparseOffset = BinaryPrimitives.ReadInt64LittleEndian(bytes[64..]),
            QuickIndexOffset = BinaryPrimitives.ReadInt64LittleEndian(bytes[72..]),
            QuickCount = BinaryPrimitives.ReadInt32LittleEndian(bytes[80..]),
            QuickSparseOffset = BinaryPrimitives.ReadInt64LittleEndian(bytes[84..]),
            TablesOffset = BinaryPrimitives.ReadInt64LittleEndian(bytes[92..]),
            MetadataChecksum = BinaryPrimitives.ReadUInt64LittleEndian(bytes[100..]),
        };
        var metadataEnd = fileLength - Length;
        if (footer.BlockIndexOffset < 0 || footer.BlockIndexOffset > footer.HashIndexOffset || footer.HashIndexOffset > footer.HashSparseOffset ||
            footer.HashSparseOffset > footer.QuickIndexOffset || footer.QuickIndexOffset > footer.QuickSparseOffset ||
            footer.QuickSparseOffset > footer.TablesOffset || footer.TablesOffset > metadataEnd || footer.PathBlockCount > footer.BlockCount ||
            footer.PathRecordCount > footer.RecordCount || footer.HashCount > footer.RecordCount || footer.RecordCount < 0)
        {
            throw new IndexDamagedException("its footer does not add up");
        }

        return footer;
    }
}
