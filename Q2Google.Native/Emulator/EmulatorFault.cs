namespace Q2Google.Emulator;

/// <summary>Which requests a fault applies to.</summary>
internal enum FaultTarget
{
    AnyApi,
    UploadStart,
    UploadChunk,
    UploadFinalize,
    UploadQuery,
    BatchCreate,
    MediaGet,
    Token,
}

internal enum FaultKind
{
    /// <summary>Answer with <see cref="EmulatorFault.Status"/> (500, 503, …) and Google's error body.</summary>
    Status,

    /// <summary>A per-minute 429, with <c>Retry-After</c> when <see cref="EmulatorFault.RetryAfter"/> is set.</summary>
    RateLimit,

    /// <summary>Read half of the body (committing whole granules), then reset the connection.</summary>
    ResetMidBody,

    /// <summary>Wait <see cref="EmulatorFault.Delay"/> before handling the request normally.</summary>
    Delay,

    /// <summary>batchCreate: fail the items at <see cref="EmulatorFault.ItemIndexes"/> with <see cref="EmulatorFault.ItemCode"/>.</summary>
    PartialBatchFailure,

    /// <summary>Treat the Bearer token as expired (401), as if its hour ran out early.</summary>
    ExpiredAccessToken,

    /// <summary>batchCreate: do the work, then wait <see cref="EmulatorFault.Delay"/> before answering (a lost answer, if the client dies meanwhile).</summary>
    DelayAnswer,
}

/// <summary>One injected misbehaviour, used up after <see cref="Count"/> matching requests.</summary>
internal sealed record EmulatorFault(FaultTarget Target, FaultKind Kind)
{
    public int Count { get; init; } = 1;
    public int Status { get; init; } = 503;
    public TimeSpan? RetryAfter { get; init; }
    public TimeSpan Delay { get; init; }
    public IReadOnlyList<int> ItemIndexes { get; init; } = [0];
    public int ItemCode { get; init; } = 13;
    public string ItemMessage { get; init; } = "Failed: There was an error while trying to create this media item.";

    /// <summary>Skip this many matching requests before the fault fires.</summary>
    public int After { get; init; }
}
