namespace Q2Google.Upload;

/// <summary>
/// Decides, before a byte is sent, whether Google Photos would take a file: its name (hidden files,
/// sidecars), its extension and first bytes (Google's accepted types), and its size (Google's limits).
/// </summary>
internal static class FileClassifier
{
    public sealed record Verdict(string? MimeType, string? SkipReason, string? Detail = null)
    {
        public bool Accepted => MimeType is not null;
    }

    private static readonly HashSet<string> SidecarExtensions = new(StringComparer.OrdinalIgnoreCase) { ".xmp", ".thm", ".aae", ".xml", ".json", ".db", ".ini" };
    private static readonly HashSet<string> SidecarNames = new(StringComparer.OrdinalIgnoreCase) { "Thumbs.db", ".DS_Store", "desktop.ini", "ehthumbs.db", "ZbThumbnail.info" };

    /// <summary>NAS systems keep thumbnails and recycle bins in folders like these beside the photos.</summary>
    private static readonly HashSet<string> NasFolders = new(StringComparer.OrdinalIgnoreCase)
    {
        "@eaDir", "#recycle", "#snapshot", "@Recycle", "@Recently-Snapshot", ".@__thumb", "@__thumb", "lost+found", "$RECYCLE.BIN", "System Volume Information",
    };

    /// <summary>Extensions whose content we cannot recognise by its bytes but Google accepts.</summary>
    private static readonly HashSet<string> Unrecognisable = new(StringComparer.OrdinalIgnoreCase) { ".mod", ".tod", ".mmv", ".asf" };

    /// <summary>A folder the walk should not enter, with the reason, or null to enter it.</summary>
    public static string? SkipFolder(string name) =>
        NasFolders.Contains(name) ? SkipReasons.NasMetadata
        : name.StartsWith('.') ? SkipReasons.Hidden
        : null;

    /// <summary>Decides by name alone; null means "look at the bytes".</summary>
    public static string? SkipByName(string fileName) =>
        SidecarNames.Contains(fileName) ? SkipReasons.Sidecar
        : fileName.StartsWith('.') ? SkipReasons.Hidden
        : SidecarExtensions.Contains(Path.GetExtension(fileName)) ? SkipReasons.Sidecar
        : null;

    /// <summary>Decides from the name, size and first bytes.</summary>
    public static Verdict Classify(string fileName, long size, ReadOnlySpan<byte> head)
    {
        if (SkipByName(fileName) is { } reason) return new Verdict(null, reason);
        if (size == 0) return new Verdict(null, SkipReasons.Empty, "the file is empty; Google cannot store 0-byte files");

        var byName = MediaTypes.FromFileName(fileName);
        var byContent = MagicBytes.Detect(head);
        var mime = byContent ?? (byName is not null && Unrecognisable.Contains(Path.GetExtension(fileName)) ? byName : null);
        if (mime is null)
        {
            return new Verdict(null, SkipReasons.UnsupportedType, byName is null
                ? "Google Photos does not take this kind of file"
                : $"named like {byName} but its content is not a photo or video Google Photos takes");
        }

        // Trust the bytes for the type, but keep a more specific name-based type for TIFF-based RAW files.
        if (byContent == "image/tiff" && byName is not null && byName.StartsWith("image/", StringComparison.Ordinal)) mime = byName;
        var limit = MediaTypes.SizeLimit(mime);
        if (size > limit)
        {
            return new Verdict(null, SkipReasons.TooLarge,
                $"{ByteCount.Format(size)} is over Google's limit of {limit / 1_000_000} MB for {(MediaTypes.IsVideo(mime) ? "videos" : "photos")}");
        }

        return new Verdict(mime, null);
    }
}
