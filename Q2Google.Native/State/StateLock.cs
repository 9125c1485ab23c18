using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Q2Google.IO;

namespace Q2Google.State;

/// <summary>
/// One run per library. The lock is an advisory <c>flock</c> on <c>lock</c>, which the kernel drops when the
/// process dies, even by <c>kill -9</c>: a crashed run never leaves a stale lock behind. Neither file is ever
/// opened through a symbolic link.
/// </summary>
internal sealed class StateLock : IDisposable
{
    private readonly SafeFileHandle _file;

    private StateLock(SafeFileHandle file) => _file = file;

    public static StateLock Acquire(string folder)
    {
        var path = Path.Combine(folder, "lock");
        // Who holds the lock lives beside it, for the message a second run prints.
        var owner = path + ".owner";
        var file = PrivateFile.OpenWrite(path, read: true);
        var added = false;
        file.DangerousAddRef(ref added);
        int result;
        try
        {
            result = Posix.Flock((int)file.DangerousGetHandle(), Posix.LockExclusive | Posix.LockNonBlocking);
        }
        finally
        {
            if (added) file.DangerousRelease();
        }

        if (result != 0)
        {
            file.Dispose();
            var holder = ReadHolder(owner);
            throw new StateLockedException(
                $"another q2google run is using this library's state in {folder}{(holder.Length > 0 ? $" ({holder})" : "")}; " +
                "wait for it to finish, or give this run its own --state-dir");
        }

        try
        {
            using var note = PrivateFile.OpenWrite(owner, truncate: true);
            RandomAccess.Write(note, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"pid {Environment.ProcessId}, started {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z")), 0);
        }
        catch
        {
            file.Dispose();
            throw;
        }

        return new StateLock(file);
    }

    private static string ReadHolder(string owner)
    {
        try
        {
            using var handle = PrivateFile.OpenReadIfExists(owner);
            if (handle is null) return "";
            var buffer = new byte[200];
            var read = RandomAccess.Read(handle, buffer, 0);
            return Encoding.UTF8.GetString(buffer, 0, read).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or UnsafeFileException)
        {
            return "";
        }
    }

    public void Dispose() => _file.Dispose();
}
