namespace Q2Google.Upload;

/// <summary>Why a file is not uploaded; these strings are the <c>reason</c> of <c>upload --json</c>.</summary>
internal static class SkipReasons
{
    public const string Hidden = "hidden";
    public const string Sidecar = "sidecar";
    public const string NasMetadata = "nas-metadata";
    public const string UnsupportedType = "unsupported-type";
    public const string Empty = "empty-file";
    public const string TooLarge = "too-large";
    public const string SymlinkLoop = "symlink-loop";
    public const string Unreadable = "unreadable";

    /// <summary>A FIFO, socket or device (or a link to one): never opened, so it can neither hang nor feed a run forever.</summary>
    public const string NotAFile = "not-a-file";
}
