using Q2Google.IO;

namespace Q2Google.State;

/// <summary>
/// Reads a journal file line by line, streaming it in blocks (a long uncompacted one is tens of MB). A line
/// that cannot be read is skipped and counted with its number; a line longer than <see cref="MaxLineBytes"/>
/// is skipped without being held in memory; a last line without its newline is a write a crash cut short.
/// </summary>
internal sealed class JournalReader
{
    /// <summary>No line q2google writes comes near this; a longer one is damage.</summary>
    public const int MaxLineBytes = 1 << 20;

    /// <summary>How many unreadable line numbers are kept for the warning.</summary>
    private const int LineNumbersKept = 5;

    private readonly List<long> _unreadableLineNumbers = [];

    public int UnreadableLines { get; private set; }

    public IReadOnlyList<long> UnreadableLineNumbers => _unreadableLineNumbers;

    public bool DroppedTornLastLine { get; private set; }

    /// <summary>Records read, unreadable lines not counted.</summary>
    public long Records { get; private set; }

    /// <summary>
    /// Reads <paramref name="path"/> (nothing when it does not exist) from byte <paramref name="from"/>, the start
    /// of a line; returns the length of its well-formed prefix, so a torn last line can be cut off before appending.
    /// </summary>
    /// <param name="apply">Told every record, in file order, with the offset just past its line.</param>
    public long Read(string path, Action<JournalRecord, long> apply, long from = 0)
    {
        using var handle = PrivateFile.OpenReadIfExists(path);
        if (handle is null) return 0;
        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        if (from > stream.Length) throw new IndexDamagedException($"its index reaches byte {from} of {path}, which is shorter");
        stream.Seek(from, SeekOrigin.Begin);
        var buffer = new byte[1 << 20];
        var filled = 0;
        long consumed = from;
        long valid = from;
        long lineNumber = 0;
        var skippingLongLine = false;
        int read;
        while ((read = stream.Read(buffer, filled, buffer.Length - filled)) > 0 || filled > 0)
        {
            filled += read;
            var span = buffer.AsSpan(0, filled);
            var start = 0;
            while (true)
            {
                var newline = span[start..].IndexOf((byte)'\n');
                if (newline < 0) break;
                lineNumber++;
                var line = span.Slice(start, newline);
                if (skippingLongLine)
                {
                    skippingLongLine = false;
                    Unreadable(lineNumber);
                }
                else if (line.Length > MaxLineBytes)
                {
                    Unreadable(lineNumber);
                }
                else if (line.Length > 0)
                {
                    if (JournalRecordParser.Parse(line) is { } record)
                    {
                        apply(record, consumed + start + newline + 1);
                        Records++;
                    }
                    else
                    {
                        Unreadable(lineNumber);
                    }
                }

                start += newline + 1;
                valid = consumed + start;
            }

            if (read == 0)
            {
                // What is left has no newline: a write cut short by a crash, even if it happens to parse.
                if (start < filled || skippingLongLine) DroppedTornLastLine = true;
                break;
            }

            consumed += start;
            filled -= start;
            Buffer.BlockCopy(buffer, start, buffer, 0, filled);
            if (filled == buffer.Length)
            {
                // Longer than any real line: forget what was read of it and skip to its end.
                skippingLongLine = true;
                consumed += filled;
                filled = 0;
            }
        }

        return valid;
    }

    private void Unreadable(long lineNumber)
    {
        UnreadableLines++;
        if (_unreadableLineNumbers.Count < LineNumbersKept) _unreadableLineNumbers.Add(lineNumber);
    }

    /// <summary>The first line of a journal file, when it is a header: what generation the file is (null: no file, or no header).</summary>
    public static JournalRecord? Header(string path)
    {
        using var handle = PrivateFile.OpenReadIfExists(path);
        if (handle is null) return null;
        var bytes = new byte[4096];
        var read = RandomAccess.Read(handle, bytes, 0);
        var newline = bytes.AsSpan(0, read).IndexOf((byte)'\n');
        return newline > 0 && JournalRecordParser.Parse(bytes.AsSpan(0, newline)) is { Kind: JournalKinds.Header } header ? header : null;
    }
}
