using Microsoft.Win32.SafeHandles;

namespace Q2Google.IO;

/// <summary>
/// One <c>statx</c>: the type, owner, mode, size and modification time of a path or an open file. Sizes and
/// times are what the journal's no-read fast path compares, so they come from one call, in .NET's units.
/// </summary>
internal readonly record struct FileStatus(FileKind Kind, uint Owner, int Permissions, long Size, long ModifiedTicks)
{
    public bool IsRegular => Kind == FileKind.Regular;

    /// <summary>Group or others may write it (mode bits 020 or 002).</summary>
    public bool WritableByOthers => (Permissions & 0b000_010_010) != 0;

    /// <summary>Group or others may read it (mode bits 040 or 004).</summary>
    public bool ReadableByOthers => (Permissions & 0b000_100_100) != 0;

    /// <summary>The status of <paramref name="path"/> (of the link itself when <paramref name="followLinks"/> is false), or null with the errno when it cannot be read.</summary>
    public static FileStatus? TryOf(string path, bool followLinks, out int errno) => TryOfAt(Posix.AtCurrentDirectory, path, followLinks, out errno);

    /// <summary>
    /// The same for <paramref name="name"/> in the open folder <paramref name="folder"/> (<c>statx(dirfd, name)</c>): a walk
    /// saves the kernel looking up every folder on the way again for each file, as <c>find</c> does.
    /// </summary>
    public static unsafe FileStatus? TryOfAt(int folder, string name, bool followLinks, out int errno)
    {
        var buffer = stackalloc byte[256];
        while (true)
        {
            if (Posix.Statx(folder, name, followLinks ? 0 : Posix.AtSymlinkNoFollow, Posix.StatxBasicStats, buffer) == 0)
            {
                errno = 0;
                return Read(buffer);
            }

            errno = Posix.LastError;
            if (errno != Posix.EINTR) return null;
        }
    }

    /// <summary>The status of an open file (<c>statx(fd, "", AT_EMPTY_PATH)</c>): what was opened, whatever the path says now.</summary>
    public static unsafe FileStatus Of(SafeFileHandle handle)
    {
        var buffer = stackalloc byte[256];
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            var fd = (int)handle.DangerousGetHandle();
            if (Posix.Statx(fd, "", Posix.AtEmptyPath, Posix.StatxBasicStats, buffer) != 0)
            {
                throw new IOException($"cannot read the status of an open file: {Posix.Describe(Posix.LastError)}");
            }

            return Read(buffer);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private static unsafe FileStatus Read(byte* buffer)
    {
        var mode = *(ushort*)(buffer + 28);
        var kind = (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x1000 => FileKind.Fifo,
            0xC000 => FileKind.Socket,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            _ => FileKind.Unknown,
        };
        var seconds = *(long*)(buffer + 112);
        var nanoseconds = *(uint*)(buffer + 120);
        // The same arithmetic as FileInfo.LastWriteTimeUtc, so journals written before keep their fast path.
        var ticks = DateTime.UnixEpoch.Ticks + seconds * TimeSpan.TicksPerSecond + nanoseconds / 100;
        return new FileStatus(kind, *(uint*)(buffer + 20), mode & 0xFFF, *(long*)(buffer + 40), ticks);
    }
}
