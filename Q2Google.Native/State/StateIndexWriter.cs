using System.Buffers.Binary;
using System.IO.Hashing;
using Q2Google.IO;

namespace Q2Google.State;

/// <summary>
/// Writes an index file front to back in one pass: the path records in path order, then the orphan records,
/// in checksummed blocks of about <see cref="BlockTarget"/> bytes; then the block index, the hash and quick
/// tables, the album and prefix tables, and the footer (see <see cref="StateIndex"/> for the layout). It holds a
/// block at a time, the block index and 20 bytes per content for the hash table (<see cref="KeyTable"/>), sorted at the end.
/// The file is fsynced before <see cref="Finish"/> returns; making it the index is the caller's rename.
/// </summary>
internal sealed class StateIndexWriter : IDisposable
{
    public const int BlockTarget = 16 * 1024;

    /// <summary>"Q2B1": the start of every record block, so damage shows before a record is misread.</summary>
    public const uint BlockMagic = 0x3142_3251;

    public const int BlockHeader = 4 + 4 + 8;

    private readonly FileStream _file;
    private readonly IndexBuffer _record = new();
    private readonly IndexBuffer _records = new(BlockTarget * 2);
    private readonly List<int> _offsets = [];
    private readonly IndexBuffer _blockIndex = new(64 * 1024);
    private readonly KeyTable _hashes;
    private readonly KeyTable _quicks;
    private int _recordCount;
    private int _pathRecords = -1;
    private int _blocks;
    private int _pathBlocks = -1;

    /// <summary>Where the newest block index entry starts.</summary>
    private int _lastEntry;

    /// <param name="hashes">Where the hash table is gathered (cleared first); kept by the caller to be used again.</param>
    /// <param name="quicks">The same for the quick-fingerprint table.</param>
    public StateIndexWriter(string path, IndexTables tables, KeyTable hashes, KeyTable quicks)
    {
        Tables = tables;
        _hashes = hashes;
        _quicks = quicks;
        hashes.Clear();
        quicks.Clear();
        _file = new FileStream(PrivateFile.OpenWrite(path, exclusive: true), FileAccess.Write, bufferSize: 256 * 1024);
    }

    public IndexTables Tables { get; }

    public int Count => _recordCount;

    /// <summary>Adds a record made from this content (records must come in path order, orphans after <see cref="BeginOrphans"/>).</summary>
    public void Add(string? path, long size, long modified, ContentState content)
    {
        _record.Clear();
        IndexRecordCodec.Write(_record, path, size, modified, content, Tables);
        Append(_record.Written);
    }

    /// <summary>Adds a record as an earlier index wrote it: valid as it is, since the tables keep their numbers.</summary>
    public void AddCopy(ReadOnlySpan<byte> record) => Append(record);

    public void BeginOrphans()
    {
        FlushBlock();
        _pathRecords = _recordCount;
        _pathBlocks = _blocks;
    }

    private void Append(ReadOnlySpan<byte> record)
    {
        if (_offsets.Count > 0 && _records.Length + record.Length > BlockTarget) FlushBlock();
        if (_offsets.Count == 0)
        {
            // The block index keeps each block's first path, to find the block a path would be in.
            var key = IndexRecordCodec.PathOf(record);
            _blockIndex.Int64(_file.Position);
            _blockIndex.Int32(0);
            _blockIndex.Int32(_recordCount);
            _blockIndex.UInt16(key.Length);
            _blockIndex.Bytes(key);
        }

        _offsets.Add(_records.Length);
        _records.Bytes(record);
        if (IndexRecordCodec.IsCanonical(record))
        {
            _hashes.Add(KeyIndex.Key(IndexRecordCodec.HashOf(record)), _recordCount);
            if (IndexRecordCodec.QuickOf(record) is { IsEmpty: false } quick) _quicks.Add(KeyIndex.Key(quick), _recordCount);
        }

        _recordCount++;
    }

    private void FlushBlock()
    {
        if (_offsets.Count == 0) return;
        var payload = 4 + 4 * _offsets.Count + _records.Length;
        Span<byte> header = stackalloc byte[BlockHeader + 4];
        var table = new byte[4 * _offsets.Count];
        for (var i = 0; i < _offsets.Count; i++) BinaryPrimitives.WriteInt32LittleEndian(table.AsSpan(4 * i), _offsets[i]);
        BinaryPrimitives.WriteInt32LittleEndian(header[BlockHeader..], _offsets.Count);
        var checksum = new XxHash3();
        checksum.Append(header[BlockHeader..]);
        checksum.Append(table);
        checksum.Append(_records.Written);
        BinaryPrimitives.WriteUInt32LittleEndian(header, BlockMagic);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], payload);
        BinaryPrimitives.WriteUInt64LittleEndian(header[8..], checksum.GetCurrentHashAsUInt64());
        _file.Write(header);
        _file.Write(table);
        _file.Write(_records.Written);
        // The block's length, now known, goes into its block index entry.
        _blockIndex.Int32At(LastBlockEntryLengthPosition(), BlockHeader + payload);
        _blocks++;
        _offsets.Clear();
        _records.Clear();
    }

    private int LastBlockEntryLengthPosition()
    {
        // Entries are: offset (8), length (4), first record (4), key length (2), key.
        var position = _lastEntry;
        var keyLength = BinaryPrimitives.ReadUInt16LittleEndian(_blockIndex.Written[(position + 16)..]);
        _lastEntry = position + 18 + keyLength;
        return position + 8;
    }

    /// <summary>Writes the tables and the footer and makes the file durable.</summary>
    public void Finish(long logGeneration, long logOffset)
    {
        FlushBlock();
        if (_pathRecords < 0)
        {
            _pathRecords = _recordCount;
            _pathBlocks = _blocks;
        }

        var blockIndexAt = _file.Position;
        _file.Write(_blockIndex.Written);
        var hashAt = _file.Position;
        var hashSparse = _hashes.Write(_file);
        var quickAt = _file.Position;
        var quickSparse = _quicks.Write(_file);
        var tablesAt = _file.Position;
        var tables = new IndexBuffer();
        Tables.Write(tables);
        _file.Write(tables.Written);
        // The key tables need no checksum: every record they lead to is checked to hold the key asked for.
        var checksum = new XxHash3();
        checksum.Append(_blockIndex.Written);
        checksum.Append(tables.Written);
        var footer = new IndexFooter
        {
            LogGeneration = logGeneration, LogOffset = logOffset, RecordCount = _recordCount, PathRecordCount = _pathRecords,
            BlockIndexOffset = blockIndexAt, BlockCount = _blocks, PathBlockCount = _pathBlocks,
            HashIndexOffset = hashAt, HashCount = _hashes.Count, HashSparseOffset = hashSparse,
            QuickIndexOffset = quickAt, QuickCount = _quicks.Count, QuickSparseOffset = quickSparse, TablesOffset = tablesAt,
            MetadataChecksum = checksum.GetCurrentHashAsUInt64(),
        };
        Span<byte> bytes = stackalloc byte[IndexFooter.Length];
        footer.Write(bytes);
        _file.Write(bytes);
        _file.Flush(flushToDisk: true);
    }

    public void Dispose() => _file.Dispose();
}
