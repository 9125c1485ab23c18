using Q2Google.IO;

namespace Q2Google.State;

/// <summary>
/// The upload journal of one library (docs/architecture.md#the-journal): each file's progress (seen → session →
/// bytes confirmed → upload token → media item, or failed). Two files in the library's folder: the index
/// (<see cref="StateIndex"/>), read in place, holds what was known at the last compaction; the journal file
/// (<see cref="JournalFile"/>) holds every change since, and is replayed into memory at start on top of the
/// index. When what is held in memory passes <see cref="CompactAt"/> entries, both are merged into a new index
/// and a new journal file is begun; each step is a complete file renamed into place, so a crash at any instant
/// leaves a pair that says everything. Memory is bounded by that threshold, not by the library. A damaged line
/// or index block is skipped and counted, never fatal. Files are never opened through a symbolic link. Thread-safe.
/// </summary>
internal sealed partial class Journal : IDisposable
{
    public const string FileName = "journal.jsonl";

    /// <summary>
    /// Entries (contents and paths) held in memory before they are merged into the index, during a run or while
    /// an old journal file is replayed: some 20 MB (a migrated 1,000,000-file journal measured about 500 bytes an entry).
    /// </summary>
    internal static int CompactAt => Threshold.Value ?? 40_000;

    /// <summary>Test seam: a smaller threshold, for this test's journals only.</summary>
    internal static readonly AsyncLocal<int?> Threshold = new();

    private readonly object _gate = new();
    private readonly JournalReplay _replay = new();
    private readonly JournalReader _reader = new();
    private readonly KeyTable _hashTable = new();
    private readonly KeyTable _quickTable = new();
    private readonly TimeProvider _time;
    private readonly bool _writable;
    private StateIndex? _index;
    private JournalFile? _append;
    private StateLock? _lock;
    private JournalWriteException? _broken;
    private long _generation;
    private long _recordsInFile;
    private int _appendsSinceCheck;

    /// <summary>A read that stops (<see cref="JournalTooLongException"/>) where a run would compact, so it can be merged first.</summary>
    private bool _bounded;

    private Journal(string folder, TimeProvider time, bool writable)
    {
        Folder = folder;
        Path = System.IO.Path.Combine(folder, FileName);
        _time = time;
        _writable = writable;
        _replay.Stored = ContentInIndex;
    }

    /// <summary>The library folder this journal lives in.</summary>
    public string Folder { get; }

    /// <summary>The journal file.</summary>
    public string Path { get; }

    /// <summary>Lines of the journal file that could not be read: skipped and counted, the rest loaded.</summary>
    public int UnreadableLines => _reader.UnreadableLines;

    /// <summary>The first few of those, 1-based, for the warning.</summary>
    public IReadOnlyList<long> UnreadableLineNumbers => _reader.UnreadableLineNumbers;

    /// <summary>The file ended in a line without its newline: a write an earlier run did not finish (it was killed).</summary>
    public bool DroppedTornLastLine => _reader.DroppedTornLastLine;

    /// <summary>What was wrong with the index, when something was (what it held is read again from the files).</summary>
    public string? IndexProblem { get; private set; }

    /// <summary>Opens the journal in <paramref name="folder"/> for a run: takes its lock (or throws <see cref="StateLockedException"/>), loads, compacts if due.</summary>
    /// <param name="heldLock">The folder's lock, when the caller took it already (to adopt an older journal first).</param>
    public static Journal Open(string folder, TimeProvider? time = null, StateLock? heldLock = null)
    {
        var journal = new Journal(folder, time ?? TimeProvider.System, writable: true);
        journal._lock = heldLock ?? StateLock.Acquire(folder);
        return Loaded(journal);
    }

    /// <summary>Reads the journal without the lock (for <c>status</c>, which may run beside an upload); a missing folder reads as empty.</summary>
    public static Journal ReadOnly(string folder, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        try
        {
            return Loaded(new Journal(folder, time, writable: false) { _bounded = true });
        }
        catch (JournalTooLongException)
        {
            // More than a run holds in memory: an old journal, not migrated yet. Merged into the index now, unless
            // a run holds the journal (it has merged it, then) or the folder is read-only (read as it is, then).
            try
            {
                Open(folder, time, StateLock.Acquire(folder)).Dispose();
            }
            catch (Exception e) when (e is StateLockedException or IOException or UnauthorizedAccessException or UnsafeFileException)
            {
            }

            return Loaded(new Journal(folder, time, writable: false));
        }
    }

    private sealed class JournalTooLongException : Exception;

    private static Journal Loaded(Journal journal)
    {
        try
        {
            journal.Load();
            return journal;
        }
        catch
        {
            journal.Dispose();
            throw;
        }
    }

    /// <summary>A journal with nothing in it and no file behind it (a dry run that knows no library).</summary>
    public static Journal Empty(TimeProvider? time = null) => new("/dev/null", time ?? TimeProvider.System, writable: false);

    private void Load()
    {
        OpenIndex();
        var header = JournalReader.Header(Path);
        var exists = File.Exists(Path);
        var fileGeneration = header?.Generation ?? 0;
        long from = 0;
        var replay = exists;
        if (_index is { Footer: var footer })
        {
            if (exists && fileGeneration == footer.LogGeneration) from = footer.LogOffset;
            else if (exists && fileGeneration != footer.LogGeneration + 1)
            {
                IndexProblem ??= $"{FileName} (generation {fileGeneration}) does not continue the index (generation {footer.LogGeneration}); it was set aside";
                if (_writable) SetAside(Path);
                replay = false;
            }

            _generation = replay ? fileGeneration : footer.LogGeneration + 1;
        }
        else
        {
            if (exists && fileGeneration > 0) IndexProblem ??= $"{StateIndex.FileName} is missing; the files it knew are read again";
            _generation = fileGeneration;
        }

        var mergedWhileLoading = false;
        var valid = !replay ? 0 : _reader.Read(Path, (record, end) =>
        {
            _replay.Apply(record);
            _recordsInFile++;
            if (_bounded && _replay.Entries >= CompactAt) throw new JournalTooLongException();
            if (_writable && _replay.Entries >= CompactAt)
            {
                // An old or long journal file: merged into the index as it is read, so memory stays bounded.
                WriteIndex(end);
                mergedWhileLoading = true;
            }
        }, from);
        if (!_writable) return;
        if (mergedWhileLoading || _replay.Entries >= CompactAt || _recordsInFile > 4L * CompactAt) Compact(valid);
        else _append = replay ? JournalFile.Continue(Path, valid) : JournalFile.Begin(Path, _generation, Now());
    }

    private void OpenIndex()
    {
        try
        {
            _index = StateIndex.Open(Folder);
        }
        catch (IndexDamagedException e)
        {
            IndexProblem = $"{StateIndex.FileName} is damaged ({e.Message}); the files it knew are read again";
            if (_writable) SetAside(System.IO.Path.Combine(Folder, StateIndex.FileName));
        }

        if (_index is not null) _replay.AddAlbums(_index.Tables.Albums.Values);
    }

    /// <summary>Keeps a damaged or unmatched file for a person to look at, out of the way of the next run.</summary>
    private void SetAside(string path)
    {
        if (File.Exists(path)) File.Move(path, $"{path}.damaged-{_time.GetUtcNow():yyyyMMddTHHmmss}", overwrite: true);
    }

    private static ContentState? ReadContent(StateIndex index, ReadOnlySpan<byte> record) =>
        record.IsEmpty ? null : IndexRecordCodec.Read(record, index.Tables);

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public void Dispose()
    {
        lock (_gate)
        {
            try
            {
                if (_broken is null) _append?.Sync();
                _append?.Dispose();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Already reported by the write that failed, or nothing was left to write.
            }

            _append = null;
            _index?.Dispose();
            _index = null;
        }

        _lock?.Dispose();
        _lock = null;
    }
}
