using Microsoft.Win32.SafeHandles;

namespace Q2Google.IO;

/// <summary>
/// Opens photos for reading. The type is checked on the open file itself, never on the name: <c>O_NONBLOCK</c>
/// makes opening a FIFO return at once instead of waiting for a writer forever, and anything but a regular file
/// (FIFO, socket, device, folder) is closed unread. Symbolic links are followed, as the walk follows them.
/// </summary>
internal static class RegularFile
{
    /// <param name="sequential">The whole file will be read front to back (hashing): tell the kernel to read ahead.</param>
    public static SafeFileHandle OpenRead(string path, bool sequential = false)
    {
        var fd = PrivateFile.OpenDescriptor(path, Posix.ReadOnly | Posix.NonBlock | Posix.CloseOnExec, 0);
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var status = FileStatus.Of(handle);
            if (!status.IsRegular) throw new NotRegularFileException(path, status.Kind);
            // Blocking again, so .NET treats it as the ordinary synchronous file it now is known to be.
            var flags = Posix.Fcntl(fd, Posix.GetFlags, 0);
            if (flags >= 0) Posix.Fcntl(fd, Posix.SetFlags, flags & ~Posix.NonBlock);
            if (sequential) Posix.Fadvise(fd, 0, 0, Posix.AdviceSequential);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }
}
