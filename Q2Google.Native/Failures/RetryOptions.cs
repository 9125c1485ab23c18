namespace Q2Google.Failures;

/// <summary>How hard to try before a transient failure becomes a reported one (docs/protocol.md#retries).</summary>
public sealed record RetryOptions
{
    /// <summary>Failed attempts in a row (without any progress in between) before giving up.</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>
    /// Attempts when the host does not resolve or refuses connections: enough to ride out a DNS hiccup (about 7 s
    /// of waiting), not the minutes a real outage would cost every file.
    /// </summary>
    public int UnreachableAttempts { get; init; } = 4;

    /// <summary>The first backoff; it doubles per failure, with jitter. Google asks for at least 1 s.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(64);

    /// <summary>Google: after a 429, wait at least 30 s, whatever <c>Retry-After</c> says.</summary>
    public TimeSpan RateLimitFloor { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The most one operation may spend waiting in total, so a dead link ends in an error, not a hang.</summary>
    public TimeSpan MaxTotalWait { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How many times one file may start over with a new session (404, cancelled, lost token).</summary>
    public int MaxSessionRestarts { get; init; } = 3;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Google's token endpoint: three attempts 1-2 s apart, each with its own 30 s timeout, so a refresh that cannot
    /// succeed fails within 93 s (google-auth retries the same answers).
    /// </summary>
    public static RetryOptions TokenEndpoint { get; } = new()
    {
        MaxAttempts = 3, BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(2), RateLimitFloor = TimeSpan.Zero,
        MaxTotalWait = TimeSpan.FromSeconds(5),
    };
}
