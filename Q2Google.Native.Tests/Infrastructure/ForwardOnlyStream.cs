namespace Q2Google.Tests.Infrastructure;

/// <summary>
/// Bytes that cannot be sized or rewound, handed out a few at a time, like a pipe: HttpClient sends such a
/// <see cref="StreamContent"/> with <c>Transfer-Encoding: chunked</c>, one chunk per read.
/// </summary>
internal sealed class ForwardOnlyStream(byte[] bytes, int readSize) : Stream
{
    private int _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = Math.Min(Math.Min(count, readSize), bytes.Length - _position);
        Array.Copy(bytes, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
