namespace Q2Google.Cli;

/// <summary>What <c>auth status --json</c> prints. Never a token.</summary>
internal sealed record AuthStatusReport
{
    public required bool Usable { get; init; }

    /// <summary><c>file</c> or <c>environment</c>.</summary>
    public required string Source { get; init; }

    public string? Path { get; init; }

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
}
