namespace Q2Google.Upload;

/// <summary>How a job is served beyond one pass (docs/cli.md#upload): watching, waiting out the quota, walking again.</summary>
internal sealed record ServiceOptions
{
    /// <summary><c>--watch</c>: after the first pass, keep uploading what appears or changes.</summary>
    public bool Watch { get; init; }

    /// <summary><c>--wait-for-quota</c> (and always when watching): wait for Google's quota day to end, then go on.</summary>
    public bool WaitForQuota { get; init; }

    /// <summary><c>--settle</c>: a change is uploaded once the file has been left alone this long.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>--rescan</c>: how often a PATH whose changes cannot be watched is walked whole.</summary>
    public TimeSpan Rescan { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>A watched PATH is walked whole this often too, for anything its events missed.</summary>
    public TimeSpan WatchedRescan { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Waited past midnight Pacific: when exactly Google resets the Photos quota is UNCONFIRMED.</summary>
    public TimeSpan ResetMargin { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a long wait (for the quota day) asks the wall clock again: a machine that slept is not fooled.</summary>
    public TimeSpan ClockCheck { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>At most this many inotify watches (a test of what a small kernel limit does); 0: the kernel's limit.</summary>
    public int MaxWatches { get; init; }
}
