using System.Runtime.InteropServices;

namespace Q2Google.IO;

/// <summary>
/// The few libc calls .NET does not expose: <c>open</c> with <c>O_NOFOLLOW</c>/<c>O_NONBLOCK</c>, <c>statx</c>
/// (file type and owner), <c>fsync</c> on a folder, <c>flock</c> and <c>geteuid</c>. Linked directly into the
/// binary (<c>DirectPInvoke</c> in the project file), so the static build needs no shared libc.
/// </summary>
internal static unsafe partial class Posix
{
    private const string Libc = "libc";

    public const int ReadOnly = 0x0;
    public const int WriteOnly = 0x1;
    public const int ReadWrite = 0x2;
    public const int Create = 0x40;
    public const int Exclusive = 0x80;
    public const int Truncate = 0x200;
    public const int Append = 0x400;
    public const int NonBlock = 0x800;
    public const int CloseOnExec = 0x80000;

    // The two flags whose values differ between x86-64 and arm64 (asm-generic vs arch headers).
    public static readonly int NoFollow = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;
    public static readonly int Directory = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x4000 : 0x10000;

    public const int AtCurrentDirectory = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const int AtEmptyPath = 0x1000;
    public const uint StatxBasicStats = 0x7ff;

    public const int LockExclusive = 2;
    public const int LockNonBlocking = 4;

    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EACCES = 13;
    public const int ENOTDIR = 20;
    public const int ELOOP = 40;

    [LibraryImport(Libc, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Libc, EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int fd);

    [LibraryImport(Libc, EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int operation);

    public const int GetFlags = 3;
    public const int SetFlags = 4;

    /// <summary><c>fcntl(fd, cmd, arg)</c>; variadic in C, which passes plain ints the same way on x86-64 and arm64 Linux.</summary>
    [LibraryImport(Libc, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command, int argument);

    public const int AdviceSequential = 2;

    [LibraryImport(Libc, EntryPoint = "posix_fadvise")]
    public static partial int Fadvise(int fd, long offset, long length, int advice);

    [LibraryImport(Libc, EntryPoint = "geteuid")]
    public static partial uint Geteuid();

    /// <summary><c>struct statx</c> is 256 bytes with the same layout on every architecture (unlike <c>struct stat</c>).</summary>
    [LibraryImport(Libc, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    public const int ENOSPC = 28;
    public const int EMFILE = 24;
    public const int EAGAIN = 11;

    [LibraryImport(Libc, EntryPoint = "inotify_init1", SetLastError = true)]
    public static partial int InotifyInit(int flags);

    [LibraryImport(Libc, EntryPoint = "inotify_add_watch", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int InotifyAddWatch(int fd, string path, uint mask);

    [LibraryImport(Libc, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nint count);

    /// <summary><c>struct pollfd</c>: the same on every Linux architecture.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Returned;
    }

    public const short PollIn = 1;

    [LibraryImport(Libc, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    /// <summary><c>statfs</c>; its first field, <c>f_type</c>, is a machine word on 64-bit Linux (glibc and musl).</summary>
    [LibraryImport(Libc, EntryPoint = "statfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Statfs(string path, byte* buffer);

    public static int LastError => Marshal.GetLastPInvokeError();

    /// <summary>The C library's text for an errno, e.g. "No space left on device".</summary>
    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
