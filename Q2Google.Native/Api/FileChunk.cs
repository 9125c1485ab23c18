using Microsoft.Win32.SafeHandles;

namespace Q2Google.Api;

/// <summary>
/// A byte range of an open file, sent as a request body by streaming it from disk: the bytes are never
/// gathered in memory, so a chunk of any size costs one small pooled buffer.
/// </summary>
/// <param name="File">A handle opened for reading; the caller owns it.</param>
/// <param name="Offset">Where the range starts in the file (also the upload offset).</param>
/// <param name="Length">How many bytes to send; 0 for an empty finalize.</param>
/// <param name="Sent">Told how many bytes went onto the wire after each write, for progress display.</param>
public sealed record FileChunk(SafeFileHandle File, long Offset, long Length, Action<long>? Sent = null)
{
    public HttpContent ToHttpContent() => new FileChunkContent(File, Offset, Length, Sent);
}
