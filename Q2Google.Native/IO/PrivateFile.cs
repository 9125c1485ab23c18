using Microsoft.Win32.SafeHandles;

namespace Q2Google.IO;

/// <summary>
/// Files in q2google's own folders (the journal, its lock, temp files, the token file when written): opened with
/// <c>O_NOFOLLOW</c> so a symbolic link planted in their place is refused rather than followed, created 0600, and
/// checked to be a regular file owned by this user before a byte is written.
/// </summary>
internal static class PrivateFile
{
    private const int OwnerReadWrite = 0b110_000_000;

    /// <summary>Opens (or creates) for writing; <paramref name="exclusive"/> fails if the name exists at all.</summary>
    public static SafeFileHandle OpenWrite(string path, bool exclusive = false, bool truncate = false, bool read = false)
    {
        var flags = (read ? Posix.ReadWrite : Posix.WriteOnly) | Posix.Create | Posix.NoFollow | Posix.CloseOnExec
                    | (exclusive ? Posix.Exclusive : 0) | (truncate ? Posix.Truncate : 0);
        return Checked(path, OpenDescriptor(path, flags, OwnerReadWrite));
    }

    /// <summary>Opens an existing file for reading without following a link; null when it does not exist.</summary>
    public static SafeFileHandle? OpenReadIfExists(string path)
    {
        int fd;
        try
        {
            fd = OpenDescriptor(path, Posix.ReadOnly | Posix.NoFollow | Posix.NonBlock | Posix.CloseOnExec, 0);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        var handle = Checked(path, fd);
        var flags = Posix.Fcntl(fd, Posix.GetFlags, 0);
        if (flags >= 0) Posix.Fcntl(fd, Posix.SetFlags, flags & ~Posix.NonBlock);
        return handle;
    }

    /// <summary>Creates a new file with these bytes, durably, failing if the name exists (a temp file).</summary>
    public static void WriteNew(string path, ReadOnlySpan<byte> bytes)
    {
        using var handle = OpenWrite(path, exclusive: true);
        RandomAccess.Write(handle, bytes, 0);
        RandomAccess.FlushToDisk(handle);
    }

    internal static int OpenDescriptor(string path, int flags, int mode)
    {
        while (true)
        {
            var fd = Posix.Open(path, flags, mode);
            if (fd >= 0) return fd;
            var errno = Posix.LastError;
            if (errno == Posix.EINTR) continue;
            throw Error(path, errno, (flags & Posix.NoFollow) != 0);
        }
    }

    private static SafeFileHandle Checked(string path, int fd)
    {
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        var status = FileStatus.Of(handle);
        if (!status.IsRegular)
        {
            handle.Dispose();
            throw new UnsafeFileException($"{path} is {status.Kind.Describe()}, not a regular file: q2google keeps its state in plain files; remove it");
        }

        if (status.Owner != Posix.Geteuid())
        {
            handle.Dispose();
            throw new UnsafeFileException(
                $"{path} belongs to user id {status.Owner}, not to you (user id {Posix.Geteuid()}): q2google does not write to other users' files; remove it or use a folder of your own");
        }

        return handle;
    }

    internal static Exception Error(string path, int errno, bool noFollow) => errno switch
    {
        Posix.ENOENT => new FileNotFoundException($"{path} does not exist", path),
        Posix.EACCES => new UnauthorizedAccessException($"permission denied: {path}"),
        // O_NOFOLLOW on a symbolic link fails with ELOOP.
        Posix.ELOOP when noFollow => new UnsafeFileException(
            $"{path} is a symbolic link: q2google never follows links for its own files, so that nobody can redirect them; remove the link"),
        _ => new IOException($"{path}: {Posix.Describe(errno)}", errno),
    };
}
