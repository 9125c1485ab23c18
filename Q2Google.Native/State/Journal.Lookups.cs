using System.Text;

namespace Q2Google.State;

/// <summary>What the journal knows: the journal file's replayed state first, then the index.</summary>
internal sealed partial class Journal
{
    /// <summary>A path seen before with exactly this size and mtime: its content's hash and state (the no-read fast path).</summary>
    [System.Runtime.CompilerServices.SkipLocalsInit]
    public KnownFile? Known(string path, long size, long modified)
    {
        lock (_gate)
        {
            if (_replay.Path(path) is { } recent)
            {
                return recent.Size == size && recent.Modified == modified ? new KnownFile(recent.Hash, ContentLocked(recent.Hash)) : null;
            }

            if (_index is null) return null;
            var bytes = Encoding.UTF8.GetByteCount(path) <= 1024 ? stackalloc byte[1024] : new byte[Encoding.UTF8.GetByteCount(path)];
            bytes = bytes[..Encoding.UTF8.GetBytes(path, bytes)];
            try
            {
                var record = _index.Find(bytes);
                if (record.IsEmpty || IndexRecordCodec.SizeOf(record) != size || IndexRecordCodec.ModifiedOf(record) != modified) return null;
                var stored = IndexRecordCodec.Read(record, _index.Tables, path);
                // The record's copy of its content is as of the last compaction; what the journal file says since wins.
                return new KnownFile(stored.Hash, _replay.Content(stored.Hash) ?? stored);
            }
            catch (IndexDamagedException e)
            {
                Damaged(e);
                return null;
            }
        }
    }

    /// <summary>The content hash of a path seen before with exactly this size and mtime.</summary>
    public string? HashOf(string path, long size, long modified) => Known(path, size, modified)?.Hash;

    /// <summary>The content hash of a large file seen before with this quick fingerprint, if any.</summary>
    public string? HashByQuick(string quick)
    {
        lock (_gate)
        {
            if (_replay.HashByQuick(quick) is { } recent) return recent;
            if (_index is null || !IndexRecordCodec.IsHash(quick)) return null;
            try
            {
                var record = _index.FindQuick(Convert.FromHexString(quick));
                return record.IsEmpty ? null : Convert.ToHexStringLower(IndexRecordCodec.HashOf(record));
            }
            catch (IndexDamagedException e)
            {
                Damaged(e);
                return null;
            }
        }
    }

    public ContentState? Content(string hash)
    {
        lock (_gate) return ContentLocked(hash);
    }

    private ContentState? ContentLocked(string hash) => _replay.Content(hash) ?? ContentInIndex(hash);

    private ContentState? ContentInIndex(string hash)
    {
        if (_index is null || !IndexRecordCodec.IsHash(hash)) return null;
        try
        {
            return ReadContent(_index, _index.FindContent(Convert.FromHexString(hash)));
        }
        catch (IndexDamagedException e)
        {
            Damaged(e);
            return null;
        }
    }

    public IReadOnlyList<AlbumState> AlbumsTitled(string title)
    {
        lock (_gate) return _replay.AlbumsTitled(title);
    }

    public AlbumState? AlbumById(string id)
    {
        lock (_gate) return _replay.AlbumById(id);
    }

    public IReadOnlyList<AlbumState> Albums
    {
        get { lock (_gate) return [.. _replay.Albums]; }
    }

    /// <summary>True when the journal records nothing at all.</summary>
    public bool IsEmpty
    {
        get { lock (_gate) return _replay.Entries == 0 && (_index?.Count ?? 0) == 0 && !_replay.Albums.Any(); }
    }

    /// <summary>
    /// Every content the journal knows, each once, in no particular order: for <c>status</c>, whatever the size of
    /// the library (one is read at a time). Holds the journal for the whole walk: not for a run's hot path.
    /// </summary>
    public void ForEachContent(Action<ContentState> visit) => ForEachContentWhile(content =>
    {
        visit(content);
        return true;
    });

    /// <summary>The same walk, in the same order while the journal does not change, until <paramref name="visit"/> returns false.</summary>
    public void ForEachContentWhile(Func<ContentState, bool> visit)
    {
        lock (_gate)
        {
            if (_index is { } index)
            {
                foreach (var orphans in new[] { false, true })
                {
                    foreach (var memory in index.All(orphans, message => Damaged(new IndexDamagedException(message))))
                    {
                        var record = memory.Span;
                        if (!IndexRecordCodec.IsCanonical(record)) continue;
                        var hash = Convert.ToHexStringLower(IndexRecordCodec.HashOf(record));
                        // What the journal file holds of it is visited below, once.
                        if (_replay.Content(hash) is null && !visit(IndexRecordCodec.Read(record, index.Tables))) return;
                    }
                }
            }

            foreach (var content in _replay.Contents)
            {
                if (content.Hash.Length > 0 && !visit(content)) return;
            }
        }
    }

    /// <summary>Media item ids recorded here, up to <paramref name="count"/>: what proves whose library it describes.</summary>
    public IReadOnlyList<string> SampleMediaItemIds(int count)
    {
        var ids = new List<string>();
        lock (_gate)
        {
            ids.AddRange(_replay.Contents.Where(c => c.MediaItemId is not null).Select(c => c.MediaItemId!).Take(count));
            if (_index is null || ids.Count >= count) return ids;
            foreach (var memory in _index.All(orphans: false, _ => { }))
            {
                if (ids.Count >= count) break;
                if (IndexRecordCodec.IsCanonical(memory.Span) && IndexRecordCodec.Read(memory.Span, _index.Tables).MediaItemId is { } id) ids.Add(id);
            }
        }

        return ids;
    }

    private void Damaged(IndexDamagedException e) => IndexProblem ??= $"{StateIndex.FileName} is damaged ({e.Message}); the files it described are read again";
}
