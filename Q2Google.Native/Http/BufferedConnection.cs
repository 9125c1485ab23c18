using System.Text;

namespace Q2Google.Http;

/// <summary>Reads request heads and bodies off one connection, keeping bytes that arrived early for the next read.</summary>
internal sealed class BufferedConnection(Stream stream)
{
    private const int MaxHeadBytes = 64 * 1024;
    private readonly byte[] _buffer = new byte[MaxHeadBytes];
    private int _start;
    private int _end;

    public Stream Stream { get; } = stream;

    /// <summary>The next request head as text, or null when the peer closed the connection cleanly.</summary>
    public async ValueTask<string?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var span = _buffer.AsSpan(_start, _end - _start);
            var end = span.IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var head = Encoding.Latin1.GetString(span[..end]);
                _start += end + 4;
                return head;
            }

            MoveToFront();

            if (_end == _buffer.Length) throw new InvalidDataException("request head too large");
            var read = await Stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                if (_end == 0) return null;
                throw new EndOfStreamException("connection closed inside a request head");
            }

            _end += read;
        }
    }

    /// <summary>
    /// One CRLF-terminated line inside a body (a chunk-size line, a trailer field), without its CRLF. A line
    /// longer than <paramref name="maxBytes"/> or holding a bare LF is malformed; a closed connection is
    /// <see cref="EndOfStreamException"/>, as for any body cut short.
    /// </summary>
    public async ValueTask<string> ReadLineAsync(int maxBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            var span = _buffer.AsSpan(_start, _end - _start);
            var end = span.IndexOf("\r\n"u8);
            var scanned = end >= 0 ? span[..end] : span;
            // A CR at the end of what has arrived may be the first half of the CRLF.
            var lineSoFar = end < 0 && scanned.Length > 0 && scanned[^1] == (byte)'\r' ? scanned[..^1] : scanned;
            if (lineSoFar.Length > maxBytes) throw new MalformedRequestException("line too long in the chunked body");
            if (lineSoFar.Contains((byte)'\n')) throw new MalformedRequestException("bare LF in the chunked body");
            if (end >= 0)
            {
                var line = Encoding.Latin1.GetString(scanned);
                _start += end + 2;
                return line;
            }

            MoveToFront();

            var read = await Stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0) throw new EndOfStreamException("the client closed the connection inside a chunked body");
            _end += read;
        }
    }

    /// <summary>Reads body bytes: buffered ones first, then straight from the socket into the caller's memory.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (_end > _start)
        {
            var n = Math.Min(destination.Length, _end - _start);
            _buffer.AsMemory(_start, n).CopyTo(destination);
            _start += n;
            return n;
        }

        return await Stream.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves what is not read yet to the start of the buffer, so that the next read has room after it.</summary>
    private void MoveToFront()
    {
        if (_start == 0) return;
        Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
        _end -= _start;
        _start = 0;
    }
}
