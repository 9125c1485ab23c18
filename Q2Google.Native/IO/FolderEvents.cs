using System.Buffers.Binary;
using System.Text;

namespace Q2Google.IO;

/// <summary>
/// The kernel's change events (inotify) for a folder and everything below it, read by a thread of its own. Each
/// folder needs a watch of its own, and the kernel allows each user only so many (<c>fs.inotify.max_user_watches</c>);
/// when they run out, <see cref="LimitReached"/> says so and the caller falls back to walking the tree now and then.
/// A folder created later is watched as it appears. The queue overflowing (events lost) is told too, so the
/// caller can walk everything once. What it reports is a path that changed, never what changed in it.
/// </summary>
internal sealed unsafe class FolderEvents : IDisposable
{
    private const uint Modify = 0x2, Attributes = 0x4, CloseWrite = 0x8, MovedTo = 0x80, Create = 0x100;
    private const uint Overflow = 0x4000, Ignored = 0x8000, IsFolder = 0x40000000, OnlyFolder = 0x01000000;
    private const uint Wanted = Modify | Attributes | CloseWrite | MovedTo | Create | OnlyFolder;

    private readonly int _fd;
    private readonly Dictionary<int, string> _folders = [];
    private readonly Action<string, bool> _changed;
    private readonly Action _overflowed;
    private readonly int _maxWatches;
    private readonly Thread _reader;
    private volatile bool _stopping;

    /// <param name="changed">A path that changed, and whether it is a folder (a new one: everything in it is new).</param>
    /// <param name="overflowed">Events were lost: only a walk of everything knows what changed.</param>
    /// <param name="maxWatches">At most this many watches (a test of what a small kernel limit does); 0 is the kernel's limit.</param>
    public FolderEvents(Action<string, bool> changed, Action overflowed, int maxWatches = 0)
    {
        _changed = changed;
        _overflowed = overflowed;
        _maxWatches = maxWatches;
        // IN_NONBLOCK | IN_CLOEXEC (the values of O_NONBLOCK and O_CLOEXEC, the same on x86-64 and arm64).
        _fd = Posix.InotifyInit(Posix.NonBlock | Posix.CloseOnExec);
        if (_fd < 0) throw new IOException($"cannot watch for changes: {Posix.Describe(Posix.LastError)}");
        _reader = new Thread(Read) { IsBackground = true, Name = "folder events" };
        _reader.Start();
    }

    /// <summary>The kernel's watch limit ran out: changes below some folders go unseen from now on.</summary>
    public bool LimitReached { get; private set; }

    /// <summary>Watches <paramref name="folder"/> and every folder below it, through links as the walk goes; false when the watch limit ran out on the way.</summary>
    public bool WatchTree(string folder)
    {
        var pending = new Stack<(string Path, string Real)>();
        pending.Push((folder, Real(new DirectoryInfo(folder), Path.GetFullPath(folder))));
        // By where a folder really is, so a link back up the tree is not followed round and round.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            var (next, real) = pending.Pop();
            if (!seen.Add(real)) continue;
            if (!Watch(next)) return false;
            try
            {
                foreach (var child in new DirectoryInfo(next).EnumerateDirectories()) pending.Push((child.FullName, Real(child, real + "/" + child.Name)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // An unreadable folder is reported by the walk; its changes go unseen, as its files do.
            }
        }

        return true;
    }

    private static string Real(DirectoryInfo folder, string unlinked)
    {
        try
        {
            return folder.LinkTarget is null ? unlinked : folder.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? unlinked;
        }
        catch (IOException)
        {
            return unlinked;
        }
    }

    private bool Watch(string folder)
    {
        lock (_folders)
        {
            if (_maxWatches > 0 && _folders.Count >= _maxWatches) return !(LimitReached = true);
            var wd = Posix.InotifyAddWatch(_fd, folder, Wanted);
            if (wd < 0) return !(LimitReached = Posix.LastError is Posix.ENOSPC or Posix.EMFILE);
            _folders[wd] = folder;
            return true;
        }
    }

    private void Read()
    {
        var buffer = new byte[64 * 1024];
        var poll = new Posix.PollFd { Fd = _fd, Events = Posix.PollIn };
        while (!_stopping)
        {
            // A quarter second at most, so Dispose is never kept waiting.
            if (Posix.Poll(&poll, 1, 250) <= 0) continue;
            nint read;
            fixed (byte* bytes = buffer) read = Posix.Read(_fd, bytes, buffer.Length);
            if (read <= 0) continue;
            for (var at = 0; at + 16 <= read;)
            {
                var wd = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(at));
                var mask = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(at + 4));
                var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(at + 12));
                var name = buffer.AsSpan(at + 16, length);
                at += 16 + length;
                // The kernel pads the name with NULs.
                var end = name.IndexOf((byte)0);
                Handle(wd, mask, end >= 0 ? name[..end] : name);
            }
        }
    }

    private void Handle(int wd, uint mask, ReadOnlySpan<byte> name)
    {
        if ((mask & Overflow) != 0)
        {
            _overflowed();
            return;
        }

        string? folder;
        lock (_folders)
        {
            if ((mask & Ignored) != 0)
            {
                _folders.Remove(wd);
                return;
            }

            if (!_folders.TryGetValue(wd, out folder) || name.IsEmpty) return;
        }

        var path = Path.Combine(folder, Encoding.UTF8.GetString(name));
        var isFolder = (mask & IsFolder) != 0;
        if (isFolder && (mask & (Create | MovedTo)) == 0) return;
        // A new folder may fill before its own watch is in place: the caller walks it whole once it settles.
        if (isFolder) WatchTree(path);
        _changed(path, isFolder);
    }

    public void Dispose()
    {
        _stopping = true;
        _reader.Join();
        Posix.Close(_fd);
    }
}
