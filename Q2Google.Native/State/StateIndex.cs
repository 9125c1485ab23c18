using System.Buffers.Binary;
using System.IO.Hashing;
using Microsoft.Win32.SafeHandles;
using Q2Google.IO;

namespace Q2Google.State;

/// <summary>
/// The index file (<c>index.q2i</c>) of a library, read in place (docs/architecture.md#the-journal). It holds
/// what the journal knew when it was last compacted, one record per path (see <see cref="IndexRecordCodec"/>)
/// in blocks sorted by path, so a lookup is a binary search over the first path of each block (kept in memory)
/// and one block read; walks are sorted too, so consecutive lookups mostly hit the blocks just read. Memory is
/// the block index (about 1.5 MB per million files), the sparse key tables and a few cached blocks, whatever
/// the library's size. Not thread-safe: the <see cref="Journal"/> serialises access.
/// </summary>
internal sealed class StateIndex : IDisposable
{
    public const string FileName = "index.q2i";
    private const int CachedBlocks = 8;

    private readonly SafeFileHandle _file;
    private readonly long[] _blockOffsets;
    private readonly int[] _blockLengths;
    private readonly int[] _blockFirst;
    private readonly byte[] _keys;
    private readonly int[] _keyStarts;
    private readonly KeyIndex _hashes;
    private readonly KeyIndex _quicks;
    private readonly (int Block, ReadOnlyMemory<byte> Payload, int Count)[] _cache = new (int, ReadOnlyMemory<byte>, int)[CachedBlocks];
    private int _nextSlot;

    private StateIndex(SafeFileHandle file, IndexFooter footer, byte[] blockIndex, IndexTables tables)
    {
        _file = file;
        Footer = footer;
        Tables = tables;
        _blockOffsets = new long[footer.BlockCount];
        _blockLengths = new int[footer.BlockCount];
        _blockFirst = new int[footer.BlockCount + 1];
        _keyStarts = new int[footer.BlockCount + 1];
        var keys = new IndexBuffer(Math.Max(16, blockIndex.Length));
        var reader = new IndexSpanReader(blockIndex);
        for (var i = 0; i < footer.BlockCount; i++)
        {
            _blockOffsets[i] = reader.Int64();
            _blockLengths[i] = reader.Int32();
            _blockFirst[i] = reader.Int32();
            _keyStarts[i] = keys.Length;
            keys.Bytes(reader.Bytes(reader.UInt16()));
        }

        _blockFirst[footer.BlockCount] = footer.RecordCount;
        _keyStarts[footer.BlockCount] = keys.Length;
        _keys = keys.Written.ToArray();
        _hashes = KeyIndex.Load(file, footer.HashIndexOffset, footer.HashCount, footer.HashSparseOffset);
        _quicks = KeyIndex.Load(file, footer.QuickIndexOffset, footer.QuickCount, footer.QuickSparseOffset);
        for (var i = 0; i < _cache.Length; i++) _cache[i].Block = -1;
    }

    public IndexFooter Footer { get; }

    public IndexTables Tables { get; }

    public int Count => Footer.RecordCount;

    /// <summary>Opens the folder's index; null when it has none. Throws <see cref="IndexDamagedException"/> when its footer or tables do not check out.</summary>
    public static StateIndex? Open(string folder)
    {
        var handle = PrivateFile.OpenReadIfExists(Path.Combine(folder, FileName));
        if (handle is null) return null;
        try
        {
            var length = RandomAccess.GetLength(handle);
            var footerBytes = new byte[IndexFooter.Length];
            if (length < IndexFooter.Length || RandomAccess.Read(handle, footerBytes, length - IndexFooter.Length) != IndexFooter.Length)
            {
                throw new IndexDamagedException("it is shorter than its footer");
            }

            var footer = IndexFooter.Read(footerBytes, length);
            var blockIndex = ReadExactly(handle, footer.BlockIndexOffset, footer.HashIndexOffset - footer.BlockIndexOffset);
            var tables = ReadExactly(handle, footer.TablesOffset, length - IndexFooter.Length - footer.TablesOffset);
            var checksum = new XxHash3();
            checksum.Append(blockIndex);
            checksum.Append(tables);
            if (checksum.GetCurrentHashAsUInt64() != footer.MetadataChecksum) throw new IndexDamagedException("its block index or tables do not match their checksum");
            return new StateIndex(handle, footer, blockIndex, IndexTables.Read(tables));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static byte[] ReadExactly(SafeFileHandle handle, long offset, long length)
    {
        if (length is < 0 or > int.MaxValue) throw new IndexDamagedException("its footer does not add up");
        var bytes = new byte[length];
        if (RandomAccess.Read(handle, bytes, offset) != length) throw new IndexDamagedException("it ends before its tables do");
        return bytes;
    }

    /// <summary>The record of a path, or an empty span. The span is valid until the next call.</summary>
    public ReadOnlySpan<byte> Find(ReadOnlySpan<byte> path)
    {
        // The last block whose first path is not after this one.
        int low = 0, high = Footer.PathBlockCount - 1, block = -1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            if (_keys.AsSpan(_keyStarts[middle], _keyStarts[middle + 1] - _keyStarts[middle]).SequenceCompareTo(path) <= 0)
            {
                block = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        if (block < 0) return default;
        var (payload, count) = Block(block);
        low = 0;
        high = count - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var record = Record(payload.Span, count, middle);
            var order = IndexRecordCodec.PathOf(record).SequenceCompareTo(path);
            if (order == 0) return record;
            if (order < 0) low = middle + 1;
            else high = middle - 1;
        }

        return default;
    }

    /// <summary>The canonical record of a content, or an empty span.</summary>
    public ReadOnlySpan<byte> FindContent(ReadOnlySpan<byte> hash) => CheckedRecord(_hashes.Find(KeyIndex.Key(hash)), hash, IndexRecordCodec.HashOf);

    /// <summary>The canonical record of the content with this quick fingerprint, or an empty span.</summary>
    public ReadOnlySpan<byte> FindQuick(ReadOnlySpan<byte> quick) => CheckedRecord(_quicks.Find(KeyIndex.Key(quick)), quick, IndexRecordCodec.QuickOf);

    private delegate ReadOnlySpan<byte> Field(ReadOnlySpan<byte> record);

    private ReadOnlySpan<byte> CheckedRecord(int number, ReadOnlySpan<byte> key, Field field)
    {
        if ((uint)number >= (uint)Footer.RecordCount) return default;
        var record = RecordNumber(number);
        // A damaged key table must not lead to another file's state.
        return field(record).SequenceEqual(key) ? record : throw new IndexDamagedException("a key table points at the wrong record");
    }

    private ReadOnlySpan<byte> RecordNumber(int number)
    {
        var block = Array.BinarySearch(_blockFirst, 0, Footer.BlockCount, number);
        if (block < 0) block = ~block - 1;
        var (payload, count) = Block(block);
        return Record(payload.Span, count, number - _blockFirst[block]);
    }

    /// <summary>
    /// The path records in path order, or the orphan records; each is valid until the next. A block that cannot be
    /// read is skipped and told to <paramref name="onDamage"/>: its records are lost, the rest are not.
    /// </summary>
    public IEnumerable<ReadOnlyMemory<byte>> All(bool orphans, Action<string> onDamage)
    {
        var (first, end) = orphans ? (Footer.PathBlockCount, Footer.BlockCount) : (0, Footer.PathBlockCount);
        for (var block = first; block < end; block++)
        {
            ReadOnlyMemory<byte> payload;
            int count;
            try
            {
                payload = ReadBlock(block, out count);
            }
            catch (IndexDamagedException e)
            {
                onDamage(e.Message);
                continue;
            }

            for (var i = 0; i < count; i++)
            {
                var (start, length) = Bounds(payload.Span, count, i);
                yield return payload.Slice(start, length);
            }
        }
    }

    private static int RecordsStart(int count) => 4 + 4 * count;

    private static ReadOnlySpan<byte> Record(ReadOnlySpan<byte> payload, int count, int index)
    {
        var (start, length) = Bounds(payload, count, index);
        return payload.Slice(start, length);
    }

    /// <summary>Where record <paramref name="index"/> of a block's payload is (its table holds each record's start).</summary>
    private static (int Start, int Length) Bounds(ReadOnlySpan<byte> payload, int count, int index)
    {
        if ((uint)index >= (uint)count) throw new IndexDamagedException("a record number is outside its block");
        var start = BinaryPrimitives.ReadInt32LittleEndian(payload[(4 + 4 * index)..]);
        var end = index + 1 < count ? BinaryPrimitives.ReadInt32LittleEndian(payload[(8 + 4 * index)..]) : payload.Length - RecordsStart(count);
        if (start < 0 || end < start || RecordsStart(count) + end > payload.Length) throw new IndexDamagedException("a block's record table does not add up");
        return (RecordsStart(count) + start, end - start);
    }

    private (ReadOnlyMemory<byte> Payload, int Count) Block(int block)
    {
        foreach (var cached in _cache)
        {
            if (cached.Block == block) return (cached.Payload, cached.Count);
        }

        var payload = ReadBlock(block, out var count);
        _cache[_nextSlot] = (block, payload, count);
        _nextSlot = (_nextSlot + 1) % _cache.Length;
        return (payload, count);
    }

    /// <summary>A block's payload (record count, record table, records), after checking its magic and checksum.</summary>
    private ReadOnlyMemory<byte> ReadBlock(int block, out int count)
    {
        var length = _blockLengths[block];
        if (length < StateIndexWriter.BlockHeader + 4) throw new IndexDamagedException($"block {block} is too short");
        var bytes = new byte[length];
        if (RandomAccess.Read(_file, bytes, _blockOffsets[block]) != length) throw new IndexDamagedException($"block {block} is cut short");
        var payload = bytes.AsMemory(StateIndexWriter.BlockHeader);
        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes) != StateIndexWriter.BlockMagic ||
            BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)) != payload.Length ||
            BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8)) != XxHash3.HashToUInt64(payload.Span))
        {
            throw new IndexDamagedException($"block {block} does not match its checksum");
        }

        count = BinaryPrimitives.ReadInt32LittleEndian(payload.Span);
        if (count <= 0 || RecordsStart(count) > payload.Length) throw new IndexDamagedException($"block {block} has a bad record count");
        return payload;
    }

    public void Dispose() => _file.Dispose();
}
