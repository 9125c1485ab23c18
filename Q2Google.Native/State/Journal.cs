using Microsoft.Win32.SafeHandles;
using Q2Google.IO;

namespace Q2Google.State;

/// <summary>
/// The upload journal: an append-only file of JSON lines in the state directory recording each file's
/// progress (seen → session → bytes confirmed → upload token → media item, or failed), replayed into memory
/// at start. Appends reach the kernel at once (they survive <c>kill -9</c>) and are fsynced at the points
/// that matter after a power cut. A torn last line is dropped; a damaged line anywhere else is skipped and
/// counted, never fatal; the file is compacted when it has grown to several times its live content. One
/// journal describes one library (<see cref="LibraryIdentity"/>) and lives in that library's folder. Its files
/// are never opened through a symbolic link. Thread-safe.
/// </summary>
internal sealed class Journal : IDisposable
{
    public const string FileName = "journal.jsonl";
    private const int FormatVersion = 1;

    private readonly object _gate = new();
    private readonly JournalReplay _replay = new();
    private readonly JournalReader _reader = new();
    private static readonly AsyncLocal<Func<IOException?>?> WriteFault = new();

    /// <summary>Test seam: asked before each append; an exception it returns is what the disk "said" (ENOSPC, EIO).</summary>
    internal static Func<IOException?>? WriteFaultHook
    {
        get => WriteFault.Value;
        set => WriteFault.Value = value;
    }

    private readonly TimeProvider _time;
    private FileStream? _append;
    private StateLock? _lock;
    private JournalWriteException? _broken;
    private long _records;

    private Journal(string path, TimeProvider time)
    {
        Path = path;
        Folder = System.IO.Path.GetDirectoryName(path)!;
        _time = time;
    }

    /// <summary>The library folder this journal lives in.</summary>
    public string Folder { get; }

    public string Path { get; }

    /// <summary>Lines in the middle of the file that could not be read: skipped and counted, the rest loaded.</summary>
    public int UnreadableLines => _reader.UnreadableLines;

    /// <summary>The first few of those, 1-based, for the warning.</summary>
    public IReadOnlyList<long> UnreadableLineNumbers => _reader.UnreadableLineNumbers;

    /// <summary>The file ended in a line without its newline: a write an earlier run did not finish (it was killed).</summary>
    public bool DroppedTornLastLine => _reader.DroppedTornLastLine;

    /// <summary>Opens the journal in <paramref name="folder"/> for a run: takes its lock (or throws <see cref="StateLockedException"/>), loads, compacts if due.</summary>
    /// <param name="heldLock">The folder's lock, when the caller took it already (to adopt an older journal first).</param>
    public static Journal Open(string folder, TimeProvider? time = null, StateLock? heldLock = null)
    {
        var journal = new Journal(System.IO.Path.Combine(folder, FileName), time ?? TimeProvider.System);
        journal._lock = heldLock ?? StateLock.Acquire(folder);
        try
        {
            var validLength = journal.Load();
            if (!journal.ShouldCompact() || !journal.TryCompact()) journal.OpenForAppend(validLength);
            return journal;
        }
        catch
        {
            journal.Dispose();
            throw;
        }
    }

    /// <summary>Reads the journal without the lock (for <c>status</c>, which may run beside an upload); a missing file reads as empty.</summary>
    public static Journal ReadOnly(string folder, TimeProvider? time = null) => ReadFile(System.IO.Path.Combine(folder, FileName), time);

    /// <summary>A journal with nothing in it and no file behind it (a dry run that knows no library).</summary>
    public static Journal Empty(TimeProvider? time = null) => new("/dev/null/" + FileName, time ?? TimeProvider.System);

    /// <summary>Reads a journal file by its path without the lock (an older version's journal, before adopting it).</summary>
    public static Journal ReadFile(string path, TimeProvider? time = null)
    {
        var journal = new Journal(path, time ?? TimeProvider.System);
        journal.Load();
        return journal;
    }

    /// <summary>Media item ids recorded here, up to <paramref name="count"/>: what proves whose library it describes.</summary>
    public IReadOnlyList<string> SampleMediaItemIds(int count)
    {
        lock (_gate) return [.. _replay.Contents.Where(c => c.MediaItemId is not null).Select(c => c.MediaItemId!).Take(count)];
    }

    /// <summary>True when the journal records nothing at all.</summary>
    public bool IsEmpty
    {
        get { lock (_gate) return _replay.LiveRecords == 0; }
    }


    public IReadOnlyList<ContentState> Contents
    {
        get { lock (_gate) return [.. _replay.Contents]; }
    }

    public IReadOnlyList<AlbumState> Albums
    {
        get { lock (_gate) return [.. _replay.Albums]; }
    }

    /// <summary>The content hash of a path seen before with exactly this size and mtime: the no-read fast path.</summary>
    public string? HashOf(string path, long size, long modified)
    {
        lock (_gate) return _replay.HashOf(path, size, modified);
    }

    /// <summary>The content hash of a large file seen before with this quick fingerprint, if any.</summary>
    public string? HashByQuick(string quick)
    {
        lock (_gate) return _replay.HashByQuick(quick);
    }

    public ContentState? Content(string hash)
    {
        lock (_gate) return _replay.Content(hash);
    }

    public IReadOnlyList<AlbumState> AlbumsTitled(string title)
    {
        lock (_gate) return _replay.AlbumsTitled(title);
    }

    public AlbumState? AlbumById(string id)
    {
        lock (_gate) return _replay.AlbumById(id);
    }

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

    /// <summary>Makes everything appended so far durable (fsync): after a batch, before Google is told.</summary>
    public void Sync()
    {
        lock (_gate)
        {
            if (_broken is not null) throw _broken;
            try
            {
                _append?.Flush(flushToDisk: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _broken = new JournalWriteException(Path, e);
                throw _broken;
            }
        }
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

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
                _append.Write(line);
                // To the kernel now: a kill -9 after this line loses nothing. fsync only where a power cut would hurt.
                _append.Flush(flushToDisk: durable);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Whatever the file now ends in, the next load drops a torn tail; nothing more is written.
                _broken = new JournalWriteException(Path, e);
                throw _broken;
            }

            _records++;
        }
    }

    /// <summary>Replays the file into memory; returns the length of its well-formed prefix.</summary>
    private long Load()
    {
        var valid = _reader.Read(Path, _replay.Apply);
        _records = _reader.Records;
        return valid;
    }

    private bool ShouldCompact() => _records > 10_000 && _records > 3L * _replay.LiveRecords;

    /// <summary>
    /// Rewrites the journal as one line per path, content and album, atomically (temp file, fsync, rename, fsync
    /// of the folder): a crash at any point leaves the old journal or the new one. Compaction only saves space,
    /// so when it cannot be done (a full disk) the old journal stays in use and false is returned.
    /// </summary>
    public bool TryCompact()
    {
        var temp = Path + ".compact";
        try
        {
            Compact(temp);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (IOException) { }
            return false;
        }
    }

    private void Compact(string temp)
    {
        lock (_gate)
        {
            _append?.Dispose();
            _append = null;
            // A temp file left by a run killed while compacting; unlinking removes a planted link, not its target.
            File.Delete(temp);
            var written = JournalReader.WriteAll(temp, _replay.Compacted().Prepend(JournalRecordWriter.Header(FormatVersion, Now())));
            File.Move(temp, Path, overwrite: true);
            PrivateDirectory.Sync(Folder);
            _records = written;
            OpenForAppend(new FileInfo(Path).Length);
        }
    }

    private void OpenForAppend(long validLength)
    {
        SafeFileHandle handle;
        var created = !File.Exists(Path);
        handle = PrivateFile.OpenWrite(Path);
        _append = new FileStream(handle, FileAccess.Write, bufferSize: 4096);
        // Cut a torn last line off, so the next record starts on a line of its own.
        if (_append.Length != validLength) _append.SetLength(validLength);
        _append.Seek(0, SeekOrigin.End);
        if (_append.Length == 0)
        {
            _append.Write(JournalRecordWriter.LineOf(JournalRecordWriter.Header(FormatVersion, Now())));
            _append.Flush(flushToDisk: true);
        }

        // A new name in the folder: make it survive a power cut too.
        if (created) PrivateDirectory.Sync(Folder);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            try
            {
                if (_broken is null) _append?.Flush(flushToDisk: true);
                _append?.Dispose();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Already reported by the write that failed, or nothing was left to write.
            }

            _append = null;
        }

        _lock?.Dispose();
        _lock = null;
    }
}
