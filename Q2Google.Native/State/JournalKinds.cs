namespace Q2Google.State;

/// <summary>
/// The kinds of journal line, the value of its <see cref="JournalFields.Kind"/> field. Journals on users' disks
/// hold these strings: never change one. <see cref="JournalRecordWriter"/> has one method per kind, the only
/// place a record of that kind is made.
/// </summary>
internal static class JournalKinds
{
    /// <summary>The first line of a file: the format version, its generation, and when the file was begun.</summary>
    public const string Header = "header";

    /// <summary>A file seen: path, size, mtime, content hash (and a large file's quick fingerprint).</summary>
    public const string Path = "path";

    /// <summary>A resumable upload session started.</summary>
    public const string Session = "session";

    /// <summary>Bytes the server confirmed for the session.</summary>
    public const string Offset = "offset";

    /// <summary>All bytes sent: the upload token.</summary>
    public const string Token = "token";

    /// <summary>The media item was created.</summary>
    public const string Created = "created";

    public const string Failed = "failed";

    /// <summary>A spent or expired token or session, forgotten.</summary>
    public const string Discard = "discard";

    /// <summary>The album id for a title (compacted: with its count and whether it is full).</summary>
    public const string Album = "album";

    /// <summary>Google refused more items in an album.</summary>
    public const string AlbumFull = "album-full";

    /// <summary>An item put into an album.</summary>
    public const string Added = "added";

    /// <summary>
    /// Google no longer has the content's media item (<c>verify --repair</c> found it deleted): the content counts as
    /// not uploaded and in no album, so the next upload sends its file again.
    /// </summary>
    public const string Missing = "missing";

    /// <summary>
    /// A compacted summary of all of one content's state, with the path it was last seen under: what journals
    /// written before the index held after compaction. Still read, to migrate them; no longer written.
    /// </summary>
    public const string Content = "content";
}
