using System.Text.Json;

namespace Q2Google.Auth;

/// <summary>
/// The token file: written atomically (temp file in the same directory, fsync, rename), mode 0600 in a 0700
/// directory, so a crash leaves either the old file or the new one and nobody else can read either.
/// </summary>
/// <param name="path">The token file.</param>
/// <param name="ownsDirectory">
/// The directory is q2google's own (the config dir): tighten it to 0700 even if it already exists. A directory
/// the user chose (<c>--token /somewhere/token.json</c>) keeps its mode; the file is 0600 either way.
/// </param>
public sealed class FileTokenStore(string path, bool ownsDirectory = false) : ITokenStore
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public string Description => $"file {Path}";

    public async Task<AuthorizedUserToken?> LoadAsync(CancellationToken cancellationToken = default)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(Path, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            throw new TokenStoreException($"cannot read the token file {Path}: permission denied; fix its owner or mode (it should be 0600)", e);
        }

        return Parse(bytes, $"the token file {Path}");
    }

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

    public async Task SaveAsync(AuthorizedUserToken token, CancellationToken cancellationToken = default)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(token, TokenJsonContext.Default.AuthorizedUserToken);
        if (ownsDirectory) AtomicFile.SecureDirectory(System.IO.Path.GetDirectoryName(Path)!);
        await AtomicFile.WriteAsync(Path, bytes, cancellationToken).ConfigureAwait(false);
    }

    public void Delete() => File.Delete(Path);
}
