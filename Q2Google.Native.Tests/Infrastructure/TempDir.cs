using System.Security.Cryptography;

namespace Q2Google.Tests.Infrastructure;

/// <summary>A scratch directory deleted at the end of the test, with helpers to make files of known content.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "q2google-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>
    /// Writes <paramref name="size"/> pseudo-random bytes (deterministic per <paramref name="seed"/>), starting
    /// with the signature its extension promises (JPEG, PNG, MP4), so the uploader takes it for what it is named.
    /// </summary>
    public string File(string relativePath, long size, int seed = 1)
    {
        var path = Combine(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var random = new Random(seed);
        using var stream = System.IO.File.Create(path);
        var buffer = new byte[64 * 1024];
        var first = true;
        for (var left = size; left > 0; left -= buffer.Length)
        {
            random.NextBytes(buffer);
            if (first) Signature(path).CopyTo(buffer, 0);
            first = false;
            stream.Write(buffer, 0, (int)Math.Min(buffer.Length, left));
        }

        return path;
    }

    private static byte[] Signature(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".jpg" or ".jpeg" => [0xFF, 0xD8, 0xFF, 0xE0],
        ".png" => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
        ".mp4" or ".mov" or ".m4v" => [0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x6D, 0x70, 0x34, 0x32],
        _ => [],
    };

    public string Text(string relativePath, string content)
    {
        var path = Combine(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public static string Sha256(string path)
    {
        using var stream = System.IO.File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
