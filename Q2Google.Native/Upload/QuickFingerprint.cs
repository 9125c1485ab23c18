using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;

namespace Q2Google.Upload;

/// <summary>
/// A cheap stand-in for a large file's full hash: XXH128 over its size, first and last 64 KiB and 16 samples
/// in between (about 200 KB read, whatever the size). Equal fingerprints mean "probably the same content",
/// confirmed by the full hash; different ones mean "new content", whose bytes can start going up while the
/// full hash is still being computed.
/// </summary>
internal static class QuickFingerprint
{
    private const int Edge = 64 * 1024;
    private const int Sample = 4 * 1024;
    private const int Samples = 16;

    public static string Compute(string path)
    {
        using var handle = IO.RegularFile.OpenRead(path);
        var size = RandomAccess.GetLength(handle);
        var hash = new XxHash128();
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, size);
        hash.Append(length);
        var buffer = ArrayPool<byte>.Shared.Rent(Edge);
        try
        {
            void Add(long offset, int count)
            {
                var read = RandomAccess.Read(handle, buffer.AsSpan(0, (int)Math.Min(count, Math.Max(0, size - offset))), offset);
                hash.Append(buffer.AsSpan(0, read));
            }

            Add(0, Edge);
            for (var i = 1; i <= Samples; i++) Add(size * i / (Samples + 1), Sample);
            Add(Math.Max(0, size - Edge), Edge);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }
}
