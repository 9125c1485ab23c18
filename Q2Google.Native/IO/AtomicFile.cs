namespace Q2Google.IO;

/// <summary>
/// Owner-only files replaced atomically: a new temp file (created exclusively, never through a link), fsync,
/// rename over the old name, fsync of the folder. Readers see the old file or the new one, never a torn one,
/// and after a power cut the new one stays.
/// </summary>
internal static class AtomicFile
{
    private static readonly AsyncLocal<Action<string>?> BeforeRename = new();

    /// <summary>Test seam: runs after the temp file is durable and before the rename, to simulate a crash there. Flows with the async context, so parallel tests do not see each other's hook.</summary>
    internal static Action<string>? BeforeRenameHook
    {
        get => BeforeRename.Value;
        set => BeforeRename.Value = value;
    }

    public static Task WriteAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(path, bytes.Span);
        return Task.CompletedTask;
    }

    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        CreateOwnerOnlyDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            PrivateFile.WriteNew(temp, bytes);
            BeforeRenameHook?.Invoke(temp);
            // rename(2) replaces the name itself: a symbolic link planted at `path` is replaced, not followed.
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        PrivateDirectory.Sync(directory);
    }

    /// <summary>Creates the folder 0700 if missing. An existing folder keeps its mode: it may be shared on purpose.</summary>
    public static void CreateOwnerOnlyDirectory(string directory)
    {
        if (Directory.Exists(directory)) return;
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
