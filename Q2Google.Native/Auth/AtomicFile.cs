namespace Q2Google.Auth;

/// <summary>Owner-only files replaced atomically: temp file, fsync, rename over the old one.</summary>
public static class AtomicFile
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private static readonly AsyncLocal<Action<string>?> BeforeRename = new();

    /// <summary>Test seam: runs after the temp file is durable and before the rename, to simulate a crash there. Flows with the async context, so parallel tests do not see each other's hook.</summary>
    internal static Action<string>? BeforeRenameHook
    {
        get => BeforeRename.Value;
        set => BeforeRename.Value = value;
    }

    public static async Task WriteAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        EnsureOwnerOnlyDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnlyFile;
            await using (var stream = new FileStream(temp, options))
            {
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            BeforeRenameHook?.Invoke(temp);
            // rename(2) is atomic: readers see the old file or the new one, never a torn one. The directory
            // entry itself is not fsynced (.NET cannot open a directory); after a power cut the old file may
            // come back, which is the safe direction.
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Creates the directory 0700 if missing. An existing directory keeps its mode: it may be shared on purpose.</summary>
    public static void EnsureOwnerOnlyDirectory(string directory)
    {
        if (Directory.Exists(directory)) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
        else Directory.CreateDirectory(directory, OwnerOnlyDirectory);
    }

    /// <summary>Creates the directory 0700, or takes group and other access away from an existing one.</summary>
    public static void SecureDirectory(string directory)
    {
        EnsureOwnerOnlyDirectory(directory);
        if (OperatingSystem.IsWindows()) return;
        var mode = File.GetUnixFileMode(directory);
        if ((mode & ~OwnerOnlyDirectory) != 0) File.SetUnixFileMode(directory, mode & OwnerOnlyDirectory);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
