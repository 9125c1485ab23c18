using System.Collections.Concurrent;
using Q2Google.IO;

namespace Q2Google.Upload;

/// <summary>
/// What changed below the PATHs of a watching run, and when it last changed: a file is handed out once it has
/// been left alone for the settle time (phone-sync apps write slowly). Folders are watched with inotify where
/// the kernel can see changes; a network or FUSE mount, or a tree past the kernel's watch limit, cannot be
/// watched, and is walked whole every <c>--rescan</c> instead (said once). Holds only what has not settled yet.
/// </summary>
internal sealed class ChangeFeed : IDisposable
{
    /// <summary>statfs f_type of file systems whose changes inotify does not see (they happen on another machine).</summary>
    private static readonly Dictionary<long, string> Remote = new()
    {
        [0x6969] = "NFS", [0x517B] = "SMB", [0xFF534D42] = "CIFS", [0xFE534D42] = "SMB", [0x65735546] = "FUSE",
        [0x01021997] = "9p", [0x5346414F] = "AFS", [0x00C36400] = "Ceph",
    };

    private readonly string[] _roots;
    private readonly ConcurrentDictionary<string, (int Root, long Ticks)> _pending = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly FolderEvents _events;
    private readonly Action<string> _note;
    private readonly bool[] _watched;
    private int _rescan;
    private bool _saidLimit;

    /// <param name="paths">The PATHs as given; only folders are watched (a file PATH is looked at by the rescans).</param>
    /// <param name="maxWatches">At most this many inotify watches (to test a small kernel limit); 0 is the kernel's limit.</param>
    public ChangeFeed(IReadOnlyList<string> paths, TimeProvider time, Action<string> note, int maxWatches = 0)
    {
        _time = time;
        _note = note;
        _roots = [.. paths.Select(p => Path.TrimEndingDirectorySeparator(Path.GetFullPath(p)))];
        _watched = new bool[paths.Count];
        _events = new FolderEvents(Changed, () => Interlocked.Exchange(ref _rescan, 1), maxWatches);
        for (var i = 0; i < _roots.Length; i++)
        {
            if (!Directory.Exists(_roots[i])) continue;
            if (RemoteKind(_roots[i]) is { } kind)
            {
                note($"{paths[i]} is on {kind}, whose changes cannot be watched from here: it is walked whole every --rescan instead");
                continue;
            }

            _watched[i] = _events.WatchTree(_roots[i]);
            if (!_watched[i]) SayLimit();
        }
    }

    /// <summary>Every PATH is watched: no periodic walk is needed to find new files.</summary>
    public bool AllWatched => _watched.All(w => w) && !_events.LimitReached;

    /// <summary>Changes seen that have not been handed out yet.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>A walk of everything is wanted (see <see cref="TakeRescan"/>), not taken yet.</summary>
    public bool RescanPending => Volatile.Read(ref _rescan) == 1;

    /// <summary>Events were lost (the queue overflowed), or a new folder could not be watched: walk everything once.</summary>
    public bool TakeRescan()
    {
        if (_events.LimitReached) SayLimit();
        return Interlocked.Exchange(ref _rescan, 0) == 1;
    }

    /// <summary>The changes left alone for <paramref name="settle"/>, by PATH (its index) and path below it; they are handed out once.</summary>
    public IReadOnlyList<(int Root, string Relative)> TakeSettled(TimeSpan settle)
    {
        var before = (_time.GetUtcNow() - settle).UtcTicks;
        var ready = _pending.Where(p => p.Value.Ticks <= before).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        if (ready.Count == 0) return [];
        var unsettled = _pending.Where(p => p.Value.Ticks > before).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        var settled = new List<(int, string)>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in ready)
        {
            // A folder's walk takes in everything below it: what is below is not walked twice...
            if (Ancestors(path).Any(taken.Contains))
            {
                _pending.TryRemove(path, out _);
                continue;
            }

            // ...and a folder is not settled while a file below it is still being written.
            if (HasBelow(unsettled, path)) continue;
            if (!_pending.TryRemove(path, out var change)) continue;
            taken.Add(path);
            settled.Add((change.Root, Path.GetRelativePath(_roots[change.Root], path)));
        }

        return settled;
    }

    private static IEnumerable<string> Ancestors(string path)
    {
        for (var end = path.LastIndexOf('/'); end > 0; end = path.LastIndexOf('/', end - 1)) yield return path[..end];
    }

    private static bool HasBelow(List<string> sorted, string folder)
    {
        var prefix = folder + "/";
        var at = sorted.BinarySearch(prefix, StringComparer.Ordinal);
        if (at < 0) at = ~at;
        return at < sorted.Count && sorted[at].StartsWith(prefix, StringComparison.Ordinal);
    }

    /// <summary>When the first change still settling will have settled, or null when nothing is pending.</summary>
    public DateTimeOffset? NextSettled(TimeSpan settle) =>
        _pending.IsEmpty ? null : new DateTimeOffset(_pending.Values.Min(c => c.Ticks), TimeSpan.Zero) + settle;

    /// <summary>
    /// A file a pass found that is still being written (changed within <paramref name="settle"/>, or with a change
    /// not yet settled): left out of the pass, and taken up as a change once it has settled.
    /// </summary>
    public bool Defer(WalkItem item, TimeSpan settle)
    {
        if (item is not UploadCandidate file) return false;
        if (_pending.ContainsKey(file.FullPath)) return true;
        var now = _time.GetUtcNow().UtcTicks;
        if (file.Status.ModifiedTicks <= now - settle.Ticks) return false;
        Changed(file.FullPath, folder: false);
        return _pending.ContainsKey(file.FullPath);
    }

    private void Changed(string path, bool folder)
    {
        for (var i = 0; i < _roots.Length; i++)
        {
            if (path.StartsWith(_roots[i] + "/", StringComparison.Ordinal))
            {
                _pending[path] = (i, _time.GetUtcNow().UtcTicks);
                return;
            }
        }
    }

    private void SayLimit()
    {
        if (_saidLimit) return;
        _saidLimit = true;
        _note("the kernel's limit on watched folders (fs.inotify.max_user_watches) is reached: changes below some folders go unseen, " +
             "so the PATHs are walked whole every --rescan instead (raise the limit with sysctl to watch them all)");
    }

    private static unsafe string? RemoteKind(string folder)
    {
        var buffer = stackalloc byte[256];
        return Posix.Statfs(folder, buffer) == 0 && Remote.TryGetValue(*(long*)buffer & 0xFFFFFFFF, out var kind) ? kind : null;
    }

    public void Dispose() => _events.Dispose();
}
