namespace Q2Google.Cli;

/// <summary>What <c>auth status --json</c> prints. Never a token.</summary>
internal sealed record AuthStatusReport
{
    public required bool Usable { get; init; }

    /// <summary><c>file</c> or <c>environment</c>.</summary>
    public required string Source { get; init; }

    public string? Path { get; init; }

    /// <summary><c>--profile</c>: the profile whose login this is; absent for the default login.</summary>
    public string? Profile { get; init; }

    /// <summary>The account's e-mail, from the login's <c>id_token</c>; null when the login never said.</summary>
    public string? Account { get; init; }

    public string? ClientId { get; init; }
    public IReadOnlyList<string>? Scopes { get; init; }
    public DateTimeOffset? AccessTokenExpiry { get; init; }
    public bool HasRefreshToken { get; init; }
    public DateTimeOffset? LoginTime { get; init; }

    /// <summary><c>ok</c> or <c>failed</c> with <c>--check</c>; absent otherwise.</summary>
    public string? Check { get; init; }

    public string? Problem { get; init; }
    public string? Hint { get; init; }

    /// <summary>Every login of the config folder when there are profiles: the default one (no name) and each profile's.</summary>
    public IReadOnlyList<ProfileStatus>? Profiles { get; init; }
}

/// <summary>One login of <c>auth status</c>'s list of profiles.</summary>
internal sealed record ProfileStatus
{
    /// <summary>Null for the default login (no <c>--profile</c>).</summary>
    public string? Name { get; init; }

    public string? Account { get; init; }
    public bool Usable { get; init; }
    public string? Problem { get; init; }
}
