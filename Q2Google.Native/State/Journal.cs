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
public sealed class Journal : IDisposable
{
    public const string FileName = "journal.jsonl";
    private const int FormatVersion = 1;

    /// <summary>No line q2google writes comes near this; a longer one is damage, skipped without being held in memory.</summary>
    internal const int MaxLineBytes = 1 << 20;

    /// <summary>How many unreadable line numbers are kept for the warning.</summary>
    private const int LineNumbersKept = 5;

    private readonly object _gate = new();
    private readonly Dictionary<string, ContentState> _contents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PathState> _paths = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byQuick = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AlbumState> _albumsByTitle = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AlbumState> _albumsById = new(StringComparer.Ordinal);
    private static readonly AsyncLocal<Func<IOException?>?> WriteFault = new();

    /// <summary>Test seam: asked before each append; an exception it returns is what the disk "said" (ENOSPC, EIO).</summary>
    internal static Func<IOException?>? WriteFaultHook
    {
        get => WriteFault.Value;
        set => WriteFault.Value = value;
    }

    private readonly List<long> _unreadableLineNumbers = [];
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
    public int UnreadableLines { get; private set; }

    /// <summary>The first few of those, 1-based, for the warning.</summary>
    public IReadOnlyList<long> UnreadableLineNumbers => _unreadableLineNumbers;

    /// <summary>The file ended in a line without its newline: a write an earlier run did not finish (it was killed).</summary>
    public bool DroppedTornLastLine { get; private set; }

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
        lock (_gate) return [.. _contents.Values.Where(c => c.MediaItemId is not null).Select(c => c.MediaItemId!).Take(count)];
    }

    /// <summary>True when the journal records nothing at all.</summary>
    public bool IsEmpty
    {
        get { lock (_gate) return _contents.Count == 0 && _paths.Count == 0 && _albumsById.Count == 0; }
    }

    public int ContentCount
    {
        get { lock (_gate) return _contents.Count; }
    }

    public IReadOnlyList<ContentState> Contents
    {
        get { lock (_gate) return [.. _contents.Values]; }
    }

    public IReadOnlyList<AlbumState> Albums
    {
        get { lock (_gate) return [.. _albumsById.Values]; }
    }

    /// <summary>The content hash of a path seen before with exactly this size and mtime: the no-read fast path.</summary>
    public string? HashOf(string path, long size, long modified)
    {
        lock (_gate) return _paths.TryGetValue(path, out var seen) && seen.Size == size && seen.Modified == modified ? seen.Hash : null;
    }

    /// <summary>The content hash of a large file seen before with this quick fingerprint, if any.</summary>
    public string? HashByQuick(string quick)
    {
        lock (_gate) return _byQuick.GetValueOrDefault(quick);
    }

    public ContentState? Content(string hash)
    {
        lock (_gate) return _contents.GetValueOrDefault(hash);
    }

    public AlbumState? AlbumByTitle(string title)
    {
        lock (_gate) return _albumsByTitle.GetValueOrDefault(title);
    }

    public AlbumState? AlbumById(string id)
    {
        lock (_gate) return _albumsById.GetValueOrDefault(id);
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
            Apply(record);
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

    /// <summary>
    /// Replays the file, streaming it in blocks (a 150,000-file journal is tens of MB); returns the length of
    /// its well-formed prefix, so a torn last line can be cut off before appending. A line that cannot be read
    /// is skipped and counted; a line longer than <see cref="MaxLineBytes"/> is skipped without being buffered.
    /// </summary>
    private long Load()
    {
        using var handle = PrivateFile.OpenReadIfExists(Path);
        if (handle is null) return 0;
        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        var buffer = new byte[1 << 20];
        var filled = 0;
        long consumed = 0;
        long valid = 0;
        long lineNumber = 0;
        var skippingLongLine = false;
        int read;
        while ((read = stream.Read(buffer, filled, buffer.Length - filled)) > 0 || filled > 0)
        {
            filled += read;
            var span = buffer.AsSpan(0, filled);
            var start = 0;
            while (true)
            {
                var newline = span[start..].IndexOf((byte)'\n');
                if (newline < 0) break;
                lineNumber++;
                var line = span.Slice(start, newline);
                if (skippingLongLine)
                {
                    skippingLongLine = false;
                    Unreadable(lineNumber);
                }
                else if (line.Length > MaxLineBytes)
                {
                    Unreadable(lineNumber);
                }
                else if (line.Length > 0)
                {
                    if (JournalRecordParser.Parse(line) is { } record)
                    {
                        Apply(record);
                        _records++;
                    }
                    else
                    {
                        Unreadable(lineNumber);
                    }
                }

                start += newline + 1;
                valid = consumed + start;
            }

            if (read == 0)
            {
                // What is left has no newline: a write cut short by a crash, even if it happens to parse.
                if (start < filled || skippingLongLine) DroppedTornLastLine = true;
                break;
            }

            consumed += start;
            filled -= start;
            Buffer.BlockCopy(buffer, start, buffer, 0, filled);
            if (filled == buffer.Length)
            {
                // Longer than any real line: forget what was read of it and skip to its end.
                skippingLongLine = true;
                consumed += filled;
                filled = 0;
            }
        }

        return valid;
    }

    private void Unreadable(long lineNumber)
    {
        UnreadableLines++;
        if (_unreadableLineNumbers.Count < LineNumbersKept) _unreadableLineNumbers.Add(lineNumber);
    }

    private void Apply(JournalRecord record)
    {
        ContentState Content() => record.Hash is null ? new ContentState("") : _contents.TryGetValue(record.Hash, out var c) ? c : _contents[record.Hash] = new ContentState(record.Hash);
        // One string per hash and path in memory, however many records mention them: 150,000 files add up.
        void SeenAt(ContentState content, string path, long size, long modified)
        {
            _paths[path] = new PathState(size, modified, content.Hash);
            content.LastPath = path;
        }
        DateTimeOffset? At(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;

        switch (record.Kind)
        {
            case JournalKinds.Path when record.Path is not null && record.Hash is not null:
                var seen = Content();
                seen.Size = record.Size ?? seen.Size;
                SeenAt(seen, record.Path, record.Size ?? 0, record.Modified ?? 0);
                if (record.Quick is { } quick) Quick(seen, quick);
                break;
            case JournalKinds.Session when record.Hash is not null:
                var session = Content();
                session.SessionUrl = record.SessionUrl;
                session.Granularity = record.Granularity;
                session.SessionAt = At(record.At);
                session.Offset = 0;
                break;
            case JournalKinds.Offset when record.Hash is not null:
                Content().Offset = record.Offset ?? 0;
                break;
            case JournalKinds.Token when record.Hash is not null:
                var token = Content();
                token.Token = record.Token;
                token.TokenAt = At(record.At);
                token.SessionUrl = null;
                token.Offset = 0;
                break;
            case JournalKinds.Created when record.Hash is not null:
                var created = Content();
                created.MediaItemId = record.Id;
                created.ProductUrl = record.ProductUrl;
                created.CreatedAt = At(record.At);
                created.Token = null;
                created.SessionUrl = null;
                created.LastFailure = null;
                if (record.Album is { } album) AddToAlbum(created, album);
                break;
            case JournalKinds.Failed:
                if (record.Hash is null) break;
                var failed = Content();
                failed.LastFailure = record.Reason;
                failed.LastFailurePath = record.Path;
                failed.FailedAt = At(record.At);
                break;
            case JournalKinds.Discard when record.Hash is not null:
                var discarded = Content();
                discarded.Token = null;
                discarded.TokenAt = null;
                discarded.SessionUrl = null;
                discarded.Offset = 0;
                break;
            case JournalKinds.Added when record.Hash is not null && record.Album is not null:
                AddToAlbum(Content(), record.Album);
                break;
            case JournalKinds.Album when record.Title is not null && record.Id is not null:
                var state = _albumsById.GetValueOrDefault(record.Id) ?? new AlbumState(record.Title, record.Id);
                state.Count = Math.Max(state.Count, record.Count ?? 0);
                state.Full |= record.Full ?? false;
                _albumsById[record.Id] = state;
                _albumsByTitle[record.Title] = state;
                break;
            case JournalKinds.AlbumFull when record.Id is not null && _albumsById.TryGetValue(record.Id, out var full):
                full.Full = true;
                break;
            case JournalKinds.Content when record.Hash is not null:
                var c = Content();
                c.Size = record.Size ?? 0;
                c.SessionUrl = record.SessionUrl;
                c.Granularity = record.Granularity;
                c.SessionAt = At(record.SessionAt);
                c.Offset = record.Offset ?? 0;
                c.Token = record.Token;
                c.TokenAt = At(record.TokenAt);
                c.MediaItemId = record.Id;
                c.ProductUrl = record.ProductUrl;
                c.CreatedAt = At(record.At);
                c.LastFailure = record.Reason;
                if (record.Path is not null && record.Modified is { } mtime) SeenAt(c, record.Path, c.Size, mtime);
                if (record.Quick is { } q) Quick(c, q);
                else c.LastPath = record.Path;
                foreach (var albumId in record.Albums ?? []) AddToAlbum(c, albumId, count: false);
                break;
        }
    }

    private void Quick(ContentState content, string quick)
    {
        content.Quick = quick;
        _byQuick[quick] = content.Hash;
    }

    private void AddToAlbum(ContentState content, string albumId, bool count = true)
    {
        if (content.Albums.Contains(albumId)) return;
        content.AddAlbum(_albumsById.TryGetValue(albumId, out var known) ? known.Id : albumId);
        if (count && _albumsById.TryGetValue(albumId, out var album)) album.Count++;
    }

    private bool ShouldCompact() => _records > 10_000 && _records > 3L * (_contents.Count + _paths.Count + _albumsById.Count);

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
            var written = 0L;
            using (var stream = new FileStream(PrivateFile.OpenWrite(temp, exclusive: true), FileAccess.Write, bufferSize: 64 * 1024))
            using (var lines = new JournalRecordWriter())
            {
                void Write(JournalRecord record)
                {
                    stream.Write(lines.Line(record));
                    written++;
                }

                Write(JournalRecordWriter.Header(FormatVersion, Now()));
                foreach (var state in _albumsById.Values)
                {
                    Write(JournalRecordWriter.Album(state.Title, state.Id, count: state.Count, full: state.Full));
                }

                foreach (var c in _contents.Values)
                {
                    // The path it was last seen under rides on the content's own line: one line per file, usually.
                    var seen = c.LastPath is { } last && _paths.TryGetValue(last, out var p) && p.Hash == c.Hash ? p : null;
                    Write(JournalRecordWriter.Content(c, seen?.Modified));
                }

                foreach (var (path, seen) in _paths)
                {
                    if (_contents.TryGetValue(seen.Hash, out var owner) && owner.LastPath == path && owner.Size == seen.Size) continue;
                    Write(JournalRecordWriter.Path(path, seen.Size, seen.Modified, seen.Hash));
                }

                stream.Flush(flushToDisk: true);
            }

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
