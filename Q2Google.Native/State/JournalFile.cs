using Q2Google.IO;

namespace Q2Google.State;

/// <summary>
/// The journal file (<c>journal.jsonl</c>) open for appending: one JSON line per change, each handed to the kernel
/// at once (it survives <c>kill -9</c>) and fsynced where a power cut would hurt. A file is begun whole (header
/// and all) under a temporary name and renamed into place, so a reader never sees a file without its header.
/// </summary>
internal sealed class JournalFile : IDisposable
{
    public const int FormatVersion = 2;

    private readonly FileStream _stream;

    private JournalFile(FileStream stream) => _stream = stream;

    /// <summary>Opens an existing file for appending, cutting off a torn last line first.</summary>
    public static JournalFile Continue(string path, long validLength)
    {
        var stream = new FileStream(PrivateFile.OpenWrite(path), FileAccess.Write, bufferSize: 4096);
        if (stream.Length != validLength) stream.SetLength(validLength);
        stream.Seek(0, SeekOrigin.End);
        return new JournalFile(stream);
    }

    /// <summary>Replaces the file with a new one holding only its header, of <paramref name="generation"/>; durable when this returns.</summary>
    public static JournalFile Begin(string path, long generation, long at)
    {
        var temp = path + ".new";
        // A temp file left by a run killed while starting one; unlinking removes a planted link, not its target.
        File.Delete(temp);
        using (var stream = new FileStream(PrivateFile.OpenWrite(temp, exclusive: true), FileAccess.Write, bufferSize: 4096))
        {
            stream.Write(JournalRecordWriter.LineOf(JournalRecordWriter.Header(FormatVersion, generation, at)));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        PrivateDirectory.Sync(Path.GetDirectoryName(path)!);
        return Continue(path, new FileInfo(path).Length);
    }

    public long Length => _stream.Length;

    public void Write(ReadOnlySpan<byte> line, bool durable)
    {
        _stream.Write(line);
        _stream.Flush(flushToDisk: durable);
    }

    public void Sync() => _stream.Flush(flushToDisk: true);

    public void Dispose() => _stream.Dispose();
}
