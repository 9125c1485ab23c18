namespace Q2Google.Upload;

/// <summary>How one pass of a job ended: its counts, what it cost, and whether (and why) it stopped early.</summary>
internal sealed record PassResult
{
    public bool Whole { get; init; }

    /// <summary>The pass only planned (<c>--dry-run</c>): <see cref="EstimatedRequests"/> is what it would cost.</summary>
    public bool DryRun { get; init; }
    public int Seen { get; init; }
    public int Uploaded { get; init; }
    public int AlreadyUploaded { get; init; }
    public int Skipped { get; init; }
    public int Failed { get; init; }

    /// <summary>A dry run's files that a real run would send.</summary>
    public int Planned { get; init; }

    /// <summary>Bytes uploaded; in a dry run, bytes planned.</summary>
    public long Bytes { get; init; }

    public long Requests { get; init; }

    /// <summary>A dry run's estimate of the requests a real pass would make.</summary>
    public long EstimatedRequests { get; init; }
    public TimeSpan Elapsed { get; init; }

    /// <summary>Why the pass stopped early (the daily quota or the request budget); null when it went through.</summary>
    public string? StopReason { get; init; }

    public bool StoppedByQuota { get; init; }

    /// <summary>Files that got a final status of any kind.</summary>
    public int Finished => Uploaded + AlreadyUploaded + Skipped + Failed + Planned;

    public int NotAttempted => Math.Max(0, Seen - Finished);
}
