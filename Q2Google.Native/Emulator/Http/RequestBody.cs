namespace Q2Google.Emulator.Http;

/// <summary>
/// The body of one request: exactly <c>Content-Length</c> bytes off the connection. A connection that ends
/// early surfaces as <see cref="EndOfStreamException"/>, which is how the emulator learns of a dropped upload.
/// </summary>
public sealed class RequestBody : Stream
{
    private readonly BufferedConnection _connection;
    private long _remaining;

    internal RequestBody(BufferedConnection connection, long length)
    {
        _connection = connection;
        Length = length;
        _remaining = length;
    }

    public override long Length { get; }
    public long Remaining => _remaining;
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;

    public override long Position
    {
        get => Length - _remaining;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_remaining == 0 || buffer.Length == 0) return 0;
        var want = (int)Math.Min(buffer.Length, _remaining);
        var read = await _connection.ReadAsync(buffer[..want], cancellationToken).ConfigureAwait(false);
        if (read == 0) throw new EndOfStreamException($"the client closed the connection with {_remaining} body bytes unsent");
        _remaining -= read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    /// <summary>Reads and discards what is left, so the connection can carry the next request.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var scratch = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (await ReadAsync(scratch, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
