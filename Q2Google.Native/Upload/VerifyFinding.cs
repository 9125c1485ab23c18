namespace Q2Google.Upload;

/// <summary>What Google said of one media item the journal records.</summary>
internal enum ItemVerdict
{
    /// <summary>Google returned the item.</summary>
    Present,

    /// <summary>Google does not have it (deleted in the Google Photos app, or never there).</summary>
    Missing,

    /// <summary>Google answered something else for it (another error); it is neither proven there nor gone.</summary>
    Unchecked,
}

/// <summary>One item <c>verify</c> could not prove is in the library, with what became of it.</summary>
/// <param name="Path">The path its content was last seen at; null when the journal has none.</param>
internal sealed record VerifyFinding(ItemVerdict Verdict, string? Path, string MediaItemId)
{
    /// <summary>A regular file is still at <see cref="Path"/>: an upload can send it again.</summary>
    public bool LocalFileExists { get; init; }

    /// <summary><c>--repair</c> recorded it as not uploaded.</summary>
    public bool Marked { get; init; }

    /// <summary>Google's answer, for an unchecked item.</summary>
    public string? Reason { get; init; }

    /// <summary>Missing, and nothing here can send it again.</summary>
    public bool Unrepairable => Verdict == ItemVerdict.Missing && !LocalFileExists;
}
