namespace Q2Google.Upload;

/// <summary>How one file ended in a run; the CLI turns it into its line or its NDJSON record.</summary>
internal enum OutcomeStatus
{
    Uploaded,
    AlreadyUploaded,
    Skipped,
    Failed,

    /// <summary>A dry run would upload it.</summary>
    Planned,
}

/// <summary>
/// The final word on one file (or one thing the walk skipped): its status, why (a short reason code for
/// scripts, <see cref="SkipReasons"/>, or Google's or our words for a failure), a longer explanation for people,
/// and where it ended up.
/// </summary>
/// <param name="Path">The path as the user wrote it plus the part below it.</param>
internal sealed record FileOutcome(string Path, OutcomeStatus Status)
{
    public string? Reason { get; init; }

    /// <summary>A longer explanation of <see cref="Reason"/> for people; scripts get the short code.</summary>
    public string? Detail { get; init; }

    public string? MediaItemId { get; init; }
    public string? ProductUrl { get; init; }
    public string? AlbumId { get; init; }
    public long? Bytes { get; init; }

    public static FileOutcome Failed(string path, string reason) => new(path, OutcomeStatus.Failed) { Reason = reason };

    /// <summary>A file that failed with <paramref name="e"/>, said in words that tell what to do.</summary>
    public static FileOutcome Failed(string path, Exception e) => Failed(path, e switch
    {
        Api.FileChangedException => FileSnapshot.ChangedReason,
        UnauthorizedAccessException => "permission denied: the file cannot be read; fix its permissions",
        FileNotFoundException or DirectoryNotFoundException => "the file disappeared before it could be read",
        _ => e.Message,
    });

    public static FileOutcome Skipped(string path, string reason, string? detail = null, long? bytes = null) =>
        new(path, OutcomeStatus.Skipped) { Reason = reason, Detail = detail, Bytes = bytes };
}
