namespace Q2Google.State;

/// <summary>
/// How a job's uploads stand, kept by the run serving it (<c>STATE_DIR/service/JOB.json</c>) for <c>status</c> and
/// <c>status --health</c> to read from another process: when it last showed it was alive, its passes, whether it
/// waits for Google's quota, its last error. A one-shot <c>upload</c> keeps one too, under the job name <c>upload</c>.
/// </summary>
internal sealed record ServiceStatus
{
    public required string Job { get; init; }

    /// <summary>The profile whose login the job uses (null: the default login).</summary>
    public string? Profile { get; init; }

    /// <summary>Whose library, for people (<see cref="LibraryIdentity.Describe"/>).</summary>
    public string? Library { get; init; }

    public int Pid { get; init; }

    /// <summary>Written at least once a minute while the run serves the job: how <c>--health</c> knows it is alive.</summary>
    public DateTimeOffset Alive { get; init; }

    /// <summary>True while a run serves it beyond one pass (<c>--watch</c>, <c>--wait-for-quota</c>); false once it has ended.</summary>
    public bool Watching { get; init; }

    public DateTimeOffset? PassStarted { get; init; }
    public DateTimeOffset? PassFinished { get; init; }

    /// <summary>What the last finished pass did.</summary>
    public int Uploaded { get; init; }
    public int AlreadyUploaded { get; init; }
    public int Skipped { get; init; }
    public int Failed { get; init; }
    public int NotAttempted { get; init; }

    /// <summary>Changes seen but not yet settled and uploaded.</summary>
    public int Pending { get; init; }

    /// <summary>Google's daily quota (or the daily request budget) is used up: the job continues at this time.</summary>
    public DateTimeOffset? WaitingUntil { get; init; }

    public string? LastError { get; init; }
    public DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>The last error means nothing can be uploaded until someone logs in again.</summary>
    public bool LoginBroken { get; init; }
}
