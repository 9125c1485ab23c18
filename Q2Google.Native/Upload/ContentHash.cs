using System.Buffers;
using System.IO.Hashing;

namespace Q2Google.Upload;

/// <summary>
/// The identity of a file's content in the journal: XXH128 of its bytes, as 32 hex digits. It only has to
/// tell one person's files apart (no adversary picks them), and it is about ten times cheaper than SHA-256:
/// on a NAS or a Pi without SHA instructions, hashing a library is the difference between minutes and hours,
/// and on a fast link it no longer competes with the upload for the CPU.
/// </summary>
internal static class ContentHash
{
    public static async Task<string> OfFileAsync(string path, CancellationToken cancellationToken)
    {
        using var handle = IO.RegularFile.OpenRead(path, sequential: true);
        var hash = new XxHash128();
        // No bigger than the file: the pool keeps what it lent for the thread that gives it back, so 1 MiB for every
        // 200 KB photo left a large-object array behind on each thread-pool thread (measured: 7 MB of large-object
        // heap in a 2,000-photo upload, against 2 MB with the 256 KiB the upload's own buffer already uses).
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(RandomAccess.GetLength(handle), 1, 1 << 20));
        try
        {
            long offset = 0;
            int read;
            while ((read = await RandomAccess.ReadAsync(handle, buffer, offset, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.Append(buffer.AsSpan(0, read));
                offset += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }
}
