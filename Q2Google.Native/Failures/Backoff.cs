namespace Q2Google.Failures;

/// <summary>
/// Jittered exponential backoff for one operation, the one retry mechanism of q2google: how long to wait before
/// the next attempt (honouring <c>Retry-After</c> and Google's 30 s floor after a 429, docs/protocol.md#retries)
/// and when to give up (attempts and total wait are bounded, so a dead link ends in an error, not a hang). Not
/// thread-safe: one instance per operation.
/// </summary>
internal sealed class Backoff(RetryOptions options)
{
    private int _failures;
    private TimeSpan _waited;

    /// <summary>
    /// Runs <paramref name="operation"/>, retrying it after failures <paramref name="retryable"/> accepts (by default
    /// the transient ones of <see cref="FailurePolicy"/>). Only for calls that are safe to repeat.
    /// </summary>
    public static async Task<T> RetryAsync<T>(RetryOptions options, Func<Task<T>> operation, CancellationToken cancellationToken,
        Func<Exception, bool>? retryable = null)
    {
        var backoff = new Backoff(options);
        retryable ??= FailurePolicy.IsTransient;
        while (true)
        {
            try
            {
                return await operation().ConfigureAwait(false);
            }
            catch (Exception e) when (retryable(e) && !cancellationToken.IsCancellationRequested)
            {
                await backoff.WaitAsync(e, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Progress was made: the next failure starts from the base delay again.</summary>
    public void Reset() => _failures = 0;

    /// <summary>Waits before the next attempt, or rethrows <paramref name="failure"/> when the budget is spent.</summary>
    public async Task WaitAsync(Exception failure, CancellationToken cancellationToken)
    {
        _failures++;
        var delay = DelayFor(failure, _failures);
        var attempts = FailurePolicy.Classify(failure) == FailureKind.Unreachable ? Math.Min(options.UnreachableAttempts, options.MaxAttempts) : options.MaxAttempts;
        if (_failures >= attempts || _waited + delay > options.MaxTotalWait)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        _waited += delay;
        if (delay > TimeSpan.Zero) await Task.Delay(delay, options.Time, cancellationToken).ConfigureAwait(false);
    }

    internal TimeSpan DelayFor(Exception failure, int failures)
    {
        var advice = failure as IRetryAdvice;
        if (advice?.RetryAtOnce == true) return TimeSpan.Zero;

        var exponential = options.BaseDelay * Math.Pow(2, Math.Min(failures - 1, 16));
        if (exponential > options.MaxDelay) exponential = options.MaxDelay;
        // "Equal jitter": half fixed, half random, so parallel uploads spread out but never retry instantly.
        var delay = exponential * (0.5 + Random.Shared.NextDouble() * 0.5);
        if (advice?.RetryAfter is { } retryAfter && retryAfter > delay) delay = retryAfter;
        if (advice?.IsRateLimited == true && delay < options.RateLimitFloor) delay = options.RateLimitFloor;
        return delay;
    }
}
