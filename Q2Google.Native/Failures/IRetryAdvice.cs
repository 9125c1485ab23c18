namespace Q2Google.Failures;

/// <summary>What a server said about trying again: <c>Retry-After</c>, a rate limit (Google's 30 s floor applies), or "ask me now".</summary>
public interface IRetryAdvice
{
    TimeSpan? RetryAfter { get; }

    /// <summary>A 429: wait at least <see cref="RetryOptions.RateLimitFloor"/>.</summary>
    bool IsRateLimited { get; }

    /// <summary>Not overload but a desync (a bad offset on an active upload session): ask again without waiting.</summary>
    bool RetryAtOnce { get; }
}
