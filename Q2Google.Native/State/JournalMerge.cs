using System.Text;

namespace Q2Google.State;

/// <summary>
/// Compaction's one pass: the records of the current index and what the journal file added since, merged by
/// path into the next index. A record nothing has touched is copied byte for byte; a path or content the
/// journal file mentions is written from its replayed state. A content no path holds any more (its last path
/// now holds other bytes, or it never had one) keeps an orphan record, so nothing the journal knew is lost.
/// Memory: the replayed state (bounded by when compaction runs) and the writer's hash table.
/// </summary>
internal static class JournalMerge
{
    /// <param name="onDamage">Told of each unreadable block of the old index (its records are lost: their files are read again).</param>
    /// <returns>Contents that could not be kept: a hash that is not 32 hex digits (no version of q2google wrote one).</returns>
    public static int Write(StateIndexWriter writer, StateIndex? old, JournalReplay replay, Action<string> onDamage)
    {
        var dropped = 0;
        var changed = new Dictionary<UInt128, ContentState>();
        foreach (var content in replay.Contents)
        {
            if (IndexRecordCodec.IsHash(content.Hash)) changed[Key(content.Hash)] = content;
            else dropped++;
        }

        // Contents that must end up with a canonical record somewhere: all that changed, and those whose last path
        // now holds other bytes. Those no path record took in get an orphan record at the end.
        var needHome = new Dictionary<UInt128, ContentState>(changed);
        var homed = new HashSet<UInt128>();
        var paths = replay.Paths
            .Where(p => IndexRecordCodec.IsHash(p.Value.Hash))
            .Select(p => (Bytes: Encoding.UTF8.GetBytes(p.Key), Path: p.Key, State: p.Value))
            .OrderBy(p => p.Bytes, ByteOrder.Instance)
            .ToList();
        var next = 0;

        void Add(string path, long size, long modified, UInt128 hash, ContentState content)
        {
            writer.Add(path, size, modified, content);
            if (content.LastPath == path) homed.Add(hash);
        }

        void AddFromJournal((byte[] Bytes, string Path, PathState State) p)
        {
            // Replaying a path record brought its content here; the index is asked only in case a damaged line did not.
            var hash = Key(p.State.Hash);
            if ((changed.GetValueOrDefault(hash) ?? Stored(old, hash)) is { } content) Add(p.Path, p.State.Size, p.State.Modified, hash, content);
        }

        if (old is not null)
        {
            foreach (var memory in old.All(orphans: false, onDamage))
            {
                var record = memory.Span;
                var path = IndexRecordCodec.PathOf(record);
                while (next < paths.Count && paths[next].Bytes.AsSpan().SequenceCompareTo(path) < 0) AddFromJournal(paths[next++]);
                var hash = KeyIndex.Key(IndexRecordCodec.HashOf(record));
                if (next < paths.Count && paths[next].Bytes.AsSpan().SequenceEqual(path))
                {
                    if (Key(paths[next].State.Hash) != hash && IndexRecordCodec.IsCanonical(record))
                    {
                        // This path held the content's canonical record and now holds other bytes: the content needs another home.
                        needHome.TryAdd(hash, changed.GetValueOrDefault(hash) ?? IndexRecordCodec.Read(record, old.Tables));
                    }

                    AddFromJournal(paths[next++]);
                }
                else if (changed.TryGetValue(hash, out var content))
                {
                    Add(Encoding.UTF8.GetString(path), IndexRecordCodec.SizeOf(record), IndexRecordCodec.ModifiedOf(record), hash, content);
                }
                else
                {
                    writer.AddCopy(record);
                }
            }
        }

        while (next < paths.Count) AddFromJournal(paths[next++]);
        writer.BeginOrphans();
        if (old is not null)
        {
            foreach (var memory in old.All(orphans: true, onDamage))
            {
                // A changed orphan is written from its replayed state below, with the other homeless contents.
                if (!changed.ContainsKey(KeyIndex.Key(IndexRecordCodec.HashOf(memory.Span)))) writer.AddCopy(memory.Span);
            }
        }

        foreach (var (hash, content) in needHome)
        {
            if (!homed.Contains(hash)) writer.Add(null, 0, 0, content);
        }
        return dropped;
    }

    private static ContentState? Stored(StateIndex? old, UInt128 hash)
    {
        if (old is null) return null;
        var record = old.FindContent(Bytes(hash));
        return record.IsEmpty ? null : IndexRecordCodec.Read(record, old.Tables);
    }

    private static UInt128 Key(string hash)
    {
        Span<byte> bytes = stackalloc byte[16];
        Convert.FromHexString(hash, bytes, out _, out _);
        return KeyIndex.Key(bytes);
    }

    private static byte[] Bytes(UInt128 key)
    {
        var bytes = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, key);
        return bytes;
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
