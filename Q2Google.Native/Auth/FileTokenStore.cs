using System.Text.Json;
using Q2Google.IO;

namespace Q2Google.Auth;

/// <summary>
/// The token file: written atomically (temp file in the same folder, fsync, rename, fsync of the folder), mode
/// 0600, never through a symbolic link, so a crash leaves either the old file or the new one and nobody else
/// can read either. Reading follows links (a Kubernetes secret is a link) but never opens a FIFO or device.
/// </summary>
/// <param name="path">The token file.</param>
/// <param name="ownsDirectory">
/// The folder is q2google's own (the config folder): it is created 0700, and refused when it belongs to someone
/// else or others may write it. A folder the user chose (<c>--token /somewhere/token.json</c>) is left as it is;
/// the file is 0600 either way.
/// </param>
public sealed class FileTokenStore(string path, bool ownsDirectory = false) : ITokenStore
{
    /// <summary>A token file is a few KB; anything much larger is not one.</summary>
    private const long MaxBytes = 1 << 20;

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>Where a login keeps the token file it replaces.</summary>
    public string PreviousPath => Path + ".previous";

    public string Description => $"file {Path}";

    private string Folder => System.IO.Path.GetDirectoryName(Path)!;

    public Task<AuthorizedUserToken?> LoadAsync(CancellationToken cancellationToken = default)
    {
        if (ownsDirectory && Directory.Exists(Folder)) PrivateDirectory.Check(Folder, "config folder", "--config-dir");
        return Task.FromResult(Read(Path) is { } bytes ? Parse(bytes, $"the token file {Path}") : null);
    }

    /// <summary>The login a new login replaced, if one was kept.</summary>
    public AuthorizedUserToken? LoadPrevious()
    {
        try
        {
            return Read(PreviousPath) is { } bytes ? Parse(bytes, $"the token file {PreviousPath}") : null;
        }
        catch (TokenStoreException)
        {
            return null;
        }
    }

    /// <summary>
    /// A warning when others may read the token file (Python's google-auth writes 0644), with the fix; null when
    /// it is private. The file is not changed: it may be shared on purpose, and we were only asked to read it.
    /// </summary>
    public string? ExposureWarning() =>
        FileStatus.TryOf(Path, followLinks: true, out _) is { ReadableByOthers: true } status
            ? $"the token file {Path} can be read by other users (mode {Convert.ToString(status.Permissions, 8)}): whoever reads it can upload to your library; " +
              $"run `chmod 600 {Path}`"
            : null;

    /// <summary>Parses token JSON; the error names the source and what is wrong, never the content.</summary>
    public static AuthorizedUserToken Parse(ReadOnlySpan<byte> json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize(json, TokenJsonContext.Default.AuthorizedUserToken)
                   ?? throw new TokenStoreException($"{source} is empty (null); run `q2google auth login` to create a new one");
        }
        catch (JsonException e)
        {
            // JsonException messages can quote the offending value; report only the position.
            throw new TokenStoreException(
                $"{source} is not a valid token file (JSON error at line {e.LineNumber + 1}); it was left as it is: " +
                "run `q2google auth login` or `q2google auth import` to replace it", e);
        }
    }

    public Task SaveAsync(AuthorizedUserToken token, CancellationToken cancellationToken = default)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(token, TokenJsonContext.Default.AuthorizedUserToken);
        if (ownsDirectory) PrivateDirectory.Ensure(Folder, "config folder", "--config-dir");
        AtomicFile.Write(Path, bytes);
        return Task.CompletedTask;
    }

    /// <summary>Before a login replaces the file, keeps a copy as <see cref="PreviousPath"/> (written like the token file, never through a link).</summary>
    public string? KeepPrevious()
    {
        if (Read(Path) is not { } bytes) return null;
        AtomicFile.Write(PreviousPath, bytes);
        return PreviousPath;
    }

    /// <summary>Removes the token file and the copy a login kept of the one before.</summary>
    public void Delete()
    {
        File.Delete(Path);
        File.Delete(PreviousPath);
    }

    private static byte[]? Read(string path)
    {
        try
        {
            using var handle = RegularFile.OpenRead(path);
            var length = RandomAccess.GetLength(handle);
            if (length > MaxBytes) throw new TokenStoreException($"the token file {path} is {length} bytes, too large to be a token file; replace it with `q2google auth login`");
            var bytes = new byte[length];
            var read = RandomAccess.Read(handle, bytes, 0);
            return bytes[..read];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            throw new TokenStoreException($"cannot read the token file {path}: permission denied; fix its owner or mode (it should be 0600)", e);
        }
        catch (NotRegularFileException e)
        {
            throw new TokenStoreException($"the token file {path} is {e.Kind.Describe()}, not a file: point --token at the token file itself", e);
        }
        catch (IOException e) when (e.HResult == Posix.ENOTDIR)
        {
            return null;
        }
    }
}
