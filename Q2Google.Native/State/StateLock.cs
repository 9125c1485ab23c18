using System.Globalization;
using System.Text;

namespace Q2Google.State;

/// <summary>
/// One run per state directory. The lock is an exclusive open of <c>lock</c> (an advisory <c>flock</c> on
/// Unix), which the kernel drops when the process dies, even by <c>kill -9</c>: a crashed run never leaves
/// a stale lock behind.
/// </summary>
public sealed class StateLock : IDisposable
{
    private readonly FileStream _file;

    private StateLock(FileStream file) => _file = file;

    public static StateLock Acquire(string stateDir)
    {
        var path = Path.Combine(stateDir, "lock");
        // Who holds the lock lives beside it: the locked file itself cannot be opened by anyone else to read it.
        var owner = path + ".owner";
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            var holder = "";
            try
            {
                holder = File.ReadAllText(owner).Trim();
            }
            catch (IOException)
            {
            }

            throw new StateLockedException(
                $"another q2google run is using the state directory {stateDir}{(holder.Length > 0 ? $" ({holder})" : "")}; " +
                "wait for it to finish, or give this run its own --state-dir");
        }

        File.WriteAllText(owner, string.Create(CultureInfo.InvariantCulture,
            $"pid {Environment.ProcessId}, started {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z"), Encoding.UTF8);
        return new StateLock(file);
    }

    public void Dispose() => _file.Dispose();
}

public sealed class StateLockedException(string message) : Exception(message);
