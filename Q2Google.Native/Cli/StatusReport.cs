namespace Q2Google.Cli;

// What `status --json` prints (docs/cli.md#status).

internal sealed record JournalStatus
{
    public required string StateDir { get; init; }

    /// <summary>Whose library (account at endpoint); null when no login selects one.</summary>
    public string? Library { get; init; }

    public string? AccountEmail { get; init; }
    public string? Endpoint { get; init; }
    public string? Journal { get; init; }
    public int UnreadableLines { get; init; }

    /// <summary>Libraries of other logins or endpoints kept in the same state folder.</summary>
    public IReadOnlyList<string> OtherLibraries { get; init; } = [];

    /// <summary>A journal of an earlier version, not yet matched to a library.</summary>
    public string? EarlierJournal { get; init; }

    public int Uploaded { get; init; }
    public long UploadedBytes { get; init; }
    public required IReadOnlyList<PendingFile> Pending { get; init; }
    public required IReadOnlyList<FailedFile> Failed { get; init; }
    public required IReadOnlyList<AlbumSummary> Albums { get; init; }

    /// <summary>How each upload and job served last (its status file in the state folder's <c>service/</c>).</summary>
    public IReadOnlyList<State.ServiceStatus> Jobs { get; init; } = [];

    /// <summary>What the last <c>verify</c> found (docs/cli.md#verify); absent when the library was never verified.</summary>
    public State.Verification? Verified { get; init; }
}

internal sealed record PendingFile
{
    public string? Path { get; init; }
    public long Size { get; init; }
    public long Confirmed { get; init; }
    public required string Stage { get; init; }
}

internal sealed record FailedFile
{
    public string? Path { get; init; }
    public required string Reason { get; init; }
}

internal sealed record AlbumSummary
{
    public required string Title { get; init; }
    public required string Id { get; init; }
    public int Items { get; init; }
    public bool Full { get; init; }
}
