using Q2Google.IO;

namespace Q2Google.State;

/// <summary>How the journal changes: records appended to the journal file, and compaction into the next index.</summary>
internal sealed partial class Journal
{
    /// <summary>Test seam: asked before each append; an exception it returns is what the disk "said" (ENOSPC, EIO).</summary>
    internal static Func<IOException?>? WriteFaultHook
    {
        get => WriteFault.Value;
        set => WriteFault.Value = value;
    }

    private static readonly AsyncLocal<Func<IOException?>?> WriteFault = new();

    /// <summary>Test seam: told each step of a compaction as it is reached; it may throw, to stop there as a kill -9 would.</summary>
    internal static readonly AsyncLocal<Action<string>?> CompactionStep = new();

    public void RecordPath(string path, long size, long modified, string hash, string? quick = null) =>
        Append(JournalRecordWriter.Path(path, size, modified, hash, quick));

    public void RecordSession(string hash, string url, long granularity) => Append(JournalRecordWriter.Session(hash, url, granularity, Now()), durable: true);

    public void RecordOffset(string hash, long offset) => Append(JournalRecordWriter.Offset(hash, offset));

    public void RecordToken(string hash, string token) => Append(JournalRecordWriter.Token(hash, token, Now()));

    public void RecordCreated(string hash, string mediaItemId, string? productUrl, string? albumId, string name) =>
        Append(JournalRecordWriter.Created(hash, mediaItemId, productUrl, albumId, name, Now()));

    public void RecordFailed(string? hash, string path, string reason) => Append(JournalRecordWriter.Failed(hash, path, reason, Now()));

    /// <summary>Forgets a spent or expired upload token / session, so the bytes go up again.</summary>
    public void RecordDiscarded(string hash, string reason) => Append(JournalRecordWriter.Discard(hash, reason, Now()));

    public void RecordAlbum(string title, string id) => Append(JournalRecordWriter.Album(title, id, at: Now()), durable: true);

    public void RecordAlbumFull(string id) => Append(JournalRecordWriter.AlbumFull(id, Now()));

    public void RecordAdded(string hash, string albumId) => Append(JournalRecordWriter.Added(hash, albumId, Now()));

    /// <summary>Google no longer has <paramref name="mediaItemId"/>: the content is not uploaded any more, and the next upload sends it.</summary>
    public void RecordMissing(string hash, string mediaItemId) => Append(JournalRecordWriter.Missing(hash, mediaItemId, Now()));

    /// <summary>Makes everything appended so far durable (fsync): after a batch, before Google is told.</summary>
    public void Sync()
    {
        lock (_gate)
        {
            if (_broken is not null) throw _broken;
            try
            {
                _append?.Sync();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _broken = new JournalWriteException(Path, e);
                throw _broken;
            }
        }
    }

    private void Append(JournalRecord record, bool durable = false)
    {
        var line = JournalRecordWriter.LineOf(record);
        lock (_gate)
        {
            if (_broken is not null) throw _broken;
            _replay.Apply(record);
            if (_append is null) return;
            try
            {
                if (WriteFaultHook?.Invoke() is { } fault) throw fault;
                // To the kernel now: a kill -9 after this line loses nothing. fsync only where a power cut would hurt.
                _append.Write(line, durable);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Whatever the file now ends in, the next load drops a torn tail; nothing more is written.
                _broken = new JournalWriteException(Path, e);
                throw _broken;
            }

            _recordsInFile++;
            if (++_appendsSinceCheck >= Math.Min(256, CompactAt))
            {
                _appendsSinceCheck = 0;
                if (_replay.Entries >= CompactAt) TryCompactLocked();
            }
        }
    }

    /// <summary>
    /// Merges the journal file into a new index and begins a new journal file. Compaction only bounds memory and
    /// start-up time, so when it cannot be done (a full disk) the current pair stays in use and false is returned.
    /// </summary>
    public bool TryCompact()
    {
        lock (_gate) return TryCompactLocked();
    }

    private bool TryCompactLocked()
    {
        if (_append is null || _broken is not null) return false;
        try
        {
            _append.Sync();
            Compact(_append.Length);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(IndexTemp); } catch (IOException) { }
            // The files in place are still a whole pair; appending goes on where it was.
            _append ??= JournalFile.Continue(Path, new FileInfo(Path).Length);
            return false;
        }
    }

    private string IndexTemp => System.IO.Path.Combine(Folder, StateIndex.FileName + ".new");

    /// <summary>Everything up to <paramref name="logEnd"/> of the journal file into a new index, then a new journal file.</summary>
    private void Compact(long logEnd)
    {
        _append?.Dispose();
        _append = null;
        WriteIndex(logEnd);
        // A crash here leaves an index that holds the old file up to its end: replayed, the old file adds nothing.
        CompactionStep.Value?.Invoke("index in place");
        _generation++;
        _recordsInFile = 0;
        _append = JournalFile.Begin(Path, _generation, Now());
    }

    /// <summary>Writes the index holding the current one and the journal file up to <paramref name="logEnd"/>, and puts it in place.</summary>
    private void WriteIndex(long logEnd)
    {
        // A temp file left by a run killed while compacting; unlinking removes a planted link, not its target.
        File.Delete(IndexTemp);
        var tables = (_index?.Tables ?? new IndexTables()).Extend(_replay.Albums);
        using (var writer = new StateIndexWriter(IndexTemp, tables, _hashTable, _quickTable))
        {
            var dropped = JournalMerge.Write(writer, _index, _replay, message => Damaged(new IndexDamagedException(message)));
            if (dropped > 0) IndexProblem ??= $"{dropped} records with a malformed content hash were dropped";
            CompactionStep.Value?.Invoke("records written");
            writer.Finish(_generation, logEnd);
            CompactionStep.Value?.Invoke("index written");
        }

        File.Move(IndexTemp, System.IO.Path.Combine(Folder, StateIndex.FileName), overwrite: true);
        PrivateDirectory.Sync(Folder);
        _index?.Dispose();
        _index = StateIndex.Open(Folder) ?? throw new IOException($"the index just written in {Folder} is gone");
        _replay.Clear();
    }
}
