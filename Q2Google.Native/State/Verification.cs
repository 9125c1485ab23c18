namespace Q2Google.State;

/// <summary>
/// What the last <c>verify</c> of a library found, kept as <c>verified.json</c> in the library's folder so that
/// <c>status</c> can say when the backup was last proven and what was missing then (docs/cli.md#verify).
/// </summary>
internal sealed record Verification
{
    public const string FileName = "verified.json";

    /// <summary>Missing files listed by name; the rest are counted (a library that lost thousands stays a small file).</summary>
    public const int ListedPaths = 20;

    public required DateTimeOffset At { get; init; }

    /// <summary>The PATHs verify was limited to; none means the whole library.</summary>
    public IReadOnlyList<string>? Paths { get; init; }

    /// <summary>Uploaded items the journal holds (under <see cref="Paths"/>).</summary>
    public int Items { get; init; }

    /// <summary>Items Google answered for: <see cref="Present"/> plus <see cref="Missing"/>.</summary>
    public int Checked { get; init; }

    public int Present { get; init; }
    public int Missing { get; init; }

    /// <summary>Missing items whose local file is gone too.</summary>
    public int Unrepairable { get; init; }

    /// <summary>Missing items <c>--repair</c> marked as not uploaded.</summary>
    public int Marked { get; init; }

    /// <summary>Items Google answered with something other than the item or "not found".</summary>
    public int Unchecked { get; init; }

    /// <summary>The share checked with <c>--sample</c>; null when every item was.</summary>
    public double? SampledPercent { get; init; }

    /// <summary>With a sample: how many of <see cref="Items"/> are likely missing, extrapolated.</summary>
    public long? EstimatedMissing { get; init; }

    /// <summary>Why it stopped before the end (quota, request budget), if it did.</summary>
    public string? Stopped { get; init; }

    /// <summary>The first <see cref="ListedPaths"/> missing files.</summary>
    public IReadOnlyList<string> MissingPaths { get; init; } = [];
}
