using System.Buffers;
using System.Security.Cryptography;

namespace Q2Google.Emulator;

/// <summary>
/// One resumable session on the emulator. Bytes are hashed as they arrive but committed only in whole
/// granules (the last chunk excepted), so an interrupted body leaves the session at a granule boundary, as
/// Google's reported offsets suggest (docs/protocol.md#query-and-resume). Memory: one granule per session in flight.
/// </summary>
internal sealed class EmulatedUploadSession(
    string id, string user, string clientId, long rawSize, string? contentType, string fileName, long granularity, DateTimeOffset createdAt)
{
    private IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly SemaphoreSlim _writer = new(1, 1);

    public string Id { get; } = id;
    public string User { get; } = user;
    public string ClientId { get; } = clientId;
    public long RawSize { get; } = rawSize;
    public string? ContentType { get; } = contentType;
    public string FileName { get; } = fileName;
    public long Granularity { get; } = granularity;
    public DateTimeOffset CreatedAt { get; } = createdAt;

    public SessionStatus Status { get; private set; } = SessionStatus.Active;

    /// <summary>Bytes committed so far; a multiple of the granularity until finalize.</summary>
    public long Committed { get; private set; }

    public string? UploadToken { get; private set; }

    /// <summary>One writer at a time; a second concurrent chunk is refused rather than interleaved.</summary>
    public bool TryBeginWrite() => _writer.Wait(0);

    public void EndWrite() => _writer.Release();

    public void Cancel() => Status = SessionStatus.Cancelled;

    /// <summary>
    /// Reads <paramref name="length"/> body bytes (or only <paramref name="stopAfter"/> of them, to imitate a
    /// dropped connection). Returns false when the body ended early; the session then keeps the whole granules
    /// received (<paramref name="commitPartial"/>) or nothing of this chunk.
    /// </summary>
    public async Task<bool> ReceiveAsync(Stream body, long length, bool commitPartial, long? stopAfter, CancellationToken cancellationToken)
    {
        using var chunkStart = _hash.Clone();
        var chunkStartOffset = Committed;
        IncrementalHash? lastGranule = null;
        var lastGranuleOffset = Committed;
        var position = Committed;
        var received = 0L;
        var limit = stopAfter ?? length;
        var buffer = ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            while (received < limit)
            {
                // Never hash across a granule boundary in one step, so every boundary can be checkpointed.
                var want = (int)Math.Min(Math.Min(buffer.Length, limit - received), Granularity - position % Granularity);
                int read;
                try
                {
                    read = await body.ReadAsync(buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    read = 0;
                }

                if (read == 0) break;
                _hash.AppendData(buffer, 0, read);
                received += read;
                position += read;
                if (position % Granularity == 0)
                {
                    lastGranule?.Dispose();
                    lastGranule = _hash.Clone();
                    lastGranuleOffset = position;
                }
            }

            if (received == length)
            {
                Committed = position;
                return true;
            }

            var (state, offset) = commitPartial && lastGranule is not null ? (lastGranule, lastGranuleOffset) : (chunkStart, chunkStartOffset);
            _hash.Dispose();
            _hash = state.Clone();
            Committed = offset;
            return false;
        }
        finally
        {
            lastGranule?.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Marks the session final and returns the hex SHA-256 of everything received.</summary>
    public string Finalize(string uploadToken)
    {
        Status = SessionStatus.Final;
        UploadToken = uploadToken;
        return Convert.ToHexStringLower(_hash.GetHashAndReset());
    }
}
