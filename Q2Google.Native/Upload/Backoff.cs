using System.Net;
using Q2Google.Api;

namespace Q2Google.Upload;

/// <summary>
/// Jittered exponential backoff for one operation: decides whether a failure is worth another try, and how
/// long to wait first (honouring <c>Retry-After</c> and Google's 30 s floor for 429). Not thread-safe: one
/// instance per operation.
/// </summary>
public sealed class Backoff(RetryOptions options)
{
    private int _failures;
    private TimeSpan _waited;

    public int Failures => _failures;

    /// <summary>Runs <paramref name="operation"/>, retrying it after transient failures (only for calls safe to repeat).</summary>
    public static async Task<T> RetryAsync<T>(RetryOptions options, Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(options);
        while (true)
        {
            try
            {
                return await operation().ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
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
        if (_failures >= options.MaxAttempts || _waited + delay > options.MaxTotalWait)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        _waited += delay;
        if (delay > TimeSpan.Zero) await Task.Delay(delay, options.Time, cancellationToken).ConfigureAwait(false);
    }

    internal TimeSpan DelayFor(Exception failure, int failures)
    {
        // A bad-offset answer is a desync, not overload: query right away.
        if (failure is GooglePhotosApiException { UploadStatus: UploadStatus.Active } api && (int)api.StatusCode is >= 400 and < 500 and not 429)
        {
            return TimeSpan.Zero;
        }

        var exponential = options.BaseDelay * Math.Pow(2, Math.Min(failures - 1, 16));
        if (exponential > options.MaxDelay) exponential = options.MaxDelay;
        // "Equal jitter": half fixed, half random, so parallel uploads spread out but never retry instantly.
        var delay = exponential * (0.5 + Random.Shared.NextDouble() * 0.5);

        if (failure is GooglePhotosApiException e)
        {
            if (e.RetryAfter is { } retryAfter && retryAfter > delay) delay = retryAfter;
            if (e.StatusCode == HttpStatusCode.TooManyRequests && delay < options.RateLimitFloor) delay = options.RateLimitFloor;
        }

        return delay;
    }

    /// <summary>
    /// Failures that another attempt may cure: the network, our timeout, 5xx, 408, a per-minute 429, and a
    /// 4xx that still reports the session <c>active</c> (Google's way of saying "wrong offset, ask me").
    /// </summary>
    public static bool IsTransient(Exception e) => e switch
    {
        FileChangedException => false,
        HttpRequestException { InnerException: FileChangedException } => false,
        GooglePhotosApiException api => api.IsServerError || api.StatusCode == HttpStatusCode.RequestTimeout
            || (api.IsRateLimited && !api.IsDailyQuotaExhausted)
            || (api.UploadStatus == UploadStatus.Active && (int)api.StatusCode is >= 400 and < 500 and not 404 and not 401 and not 403),
        HttpRequestException => true,
        TimeoutException => true,
        IOException => true,
        _ => false,
    };
}
