namespace Q2Google.Upload;

/// <summary>What <c>verify</c> checks (docs/cli.md#verify): which items, how many of them, and whether to repair the journal.</summary>
internal sealed record VerifyOptions
{
    /// <summary>Full paths: only items last seen at or below one of them. Empty: the whole library.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>Check a random share of the items, in percent (above 0, at most 100); null checks them all.</summary>
    public double? SamplePercent { get; init; }

    /// <summary>Mark missing items as not uploaded, so the next upload sends their files again.</summary>
    public bool Repair { get; init; }
}
