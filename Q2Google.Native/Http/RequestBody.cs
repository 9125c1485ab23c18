using System.Buffers;
using System.Globalization;

namespace Q2Google.Http;

/// <summary>
/// The body of one request: exactly <c>Content-Length</c> bytes off the connection, or a
/// <c>Transfer-Encoding: chunked</c> body (RFC 9112 section 7.1) whose length is known only once its last chunk
/// has arrived. Chunk extensions and trailer fields are read and ignored. A connection that ends early
/// surfaces as <see cref="EndOfStreamException"/>, which is how the emulator learns of a dropped upload;
/// broken chunked framing surfaces as <see cref="MalformedRequestException"/>.
/// </summary>
internal sealed class RequestBody : Stream
{
    // Generous for a hex size plus extensions, small enough that a peer cannot make us buffer much.
    private const int MaxChunkLineBytes = 4096;
    private const int MaxTrailerBytes = 16 * 1024;

    private readonly BufferedConnection _connection;
    private long _remaining;
    private long _read;
    private bool _inChunk;
    private bool _finished;

    internal RequestBody(BufferedConnection connection, long? declaredLength)
    {
        _connection = connection;
        DeclaredLength = declaredLength;
        _remaining = declaredLength ?? 0;
    }

    /// <summary>The <c>Content-Length</c>; null for a chunked body.</summary>
    public long? DeclaredLength { get; }

    public bool IsChunked => DeclaredLength is null;

    /// <summary>A bandwidth cap this body is read through (the emulator's uplink), or null to read at full speed.</summary>
    public BandwidthLimit? Limit { get; set; }

    /// <summary>Body bytes handed out so far.</summary>
    public long BytesRead => _read;

    /// <summary>Only a body framed by <c>Content-Length</c> has a length before it has been read.</summary>
    public override long Length => DeclaredLength ?? throw new NotSupportedException("a chunked body has no length until it has been read");

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0) return 0;
        if (IsChunked && _remaining == 0 && !await NextChunkAsync(cancellationToken).ConfigureAwait(false)) return 0;
        if (_remaining == 0) return 0;

        var want = (int)Math.Min(Math.Min(buffer.Length, _remaining), Limit?.SliceBytes ?? int.MaxValue);
        var read = await _connection.ReadAsync(buffer[..want], cancellationToken).ConfigureAwait(false);
        if (read == 0) throw new EndOfStreamException($"the client closed the connection with {_remaining} body bytes unsent");
        _remaining -= read;
        _read += read;
        // Paid before the bytes are handed on, so the next read off the socket waits too: TCP backpressure does the rest.
        if (Limit is { } limit) await limit.PayAsync(read, cancellationToken).ConfigureAwait(false);
        return read;
    }

    /// <summary>Moves to the next chunk's data; false after the last chunk and its trailers.</summary>
    private async ValueTask<bool> NextChunkAsync(CancellationToken cancellationToken)
    {
        if (_finished) return false;
        if (_inChunk)
        {
            // chunk-data is followed by exactly CRLF.
            if (await _connection.ReadLineAsync(0, cancellationToken).ConfigureAwait(false) is not "")
            {
                throw new MalformedRequestException("chunk data is not followed by CRLF");
            }

            _inChunk = false;
        }

        var size = ParseChunkSize(await _connection.ReadLineAsync(MaxChunkLineBytes, cancellationToken).ConfigureAwait(false));
        if (size > 0)
        {
            _remaining = size;
            _inChunk = true;
            return true;
        }

        // last-chunk: trailer fields up to an empty line. We have no use for them, but they must be well formed.
        var trailerBytes = 0;
        while (await _connection.ReadLineAsync(MaxChunkLineBytes, cancellationToken).ConfigureAwait(false) is { Length: > 0 } field)
        {
            trailerBytes += field.Length + 2;
            if (trailerBytes > MaxTrailerBytes) throw new MalformedRequestException("chunked trailer section too large");
            if (field.IndexOf(':', StringComparison.Ordinal) <= 0 || field[0] is ' ' or '\t')
            {
                throw new MalformedRequestException("malformed trailer field in the chunked body");
            }
        }

        _finished = true;
        return false;
    }

    /// <summary><c>chunk-size [ chunk-ext ]</c>: hex digits, then nothing or <c>;</c>-led extensions after optional whitespace.</summary>
    private static long ParseChunkSize(string line)
    {
        var digits = 0;
        while (digits < line.Length && char.IsAsciiHexDigit(line[digits])) digits++;
        var significant = line.AsSpan(0, digits).TrimStart('0').Length;
        if (digits == 0 || significant > 15) throw new MalformedRequestException($"bad chunk size line '{Printable(line)}'");

        var extensions = line.AsSpan(digits).TrimStart(" \t");
        if (!extensions.IsEmpty && extensions[0] != ';') throw new MalformedRequestException($"bad chunk size line '{Printable(line)}'");
        return significant == 0 ? 0 : long.Parse(line.AsSpan(0, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    private static string Printable(string line) =>
        new(line.Take(40).Select(c => c is >= ' ' and < '\x7f' ? c : '?').ToArray());

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    /// <summary>
    /// True when the body holds no bytes. A chunked body has to be read as far as its first byte to tell, so
    /// use this only to refuse a body that should be empty.
    /// </summary>
    public async ValueTask<bool> IsEmptyAsync(CancellationToken cancellationToken)
    {
        if (DeclaredLength is { } length) return length == 0;
        var probe = new byte[1];
        return await ReadAsync(probe, cancellationToken).ConfigureAwait(false) == 0;
    }

    /// <summary>The whole body, or null when it is longer than <paramref name="maxBytes"/> (the rest is left for draining).</summary>
    public async Task<byte[]?> ReadToEndAsync(int maxBytes, CancellationToken cancellationToken)
    {
        if (DeclaredLength is { } length)
        {
            if (length > maxBytes) return null;
            var bytes = new byte[length];
            await this.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            return bytes;
        }

        using var collected = new MemoryStream();
        var scratch = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await ReadAsync(scratch, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (collected.Length + read > maxBytes) return null;
                collected.Write(scratch, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }

        return collected.ToArray();
    }

    /// <summary>Reads and discards what is left, so the connection can carry the next request.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (await ReadAsync(scratch, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
