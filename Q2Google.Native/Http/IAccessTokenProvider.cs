namespace Q2Google.Http;

/// <summary>Hands out a Bearer token for API calls. Thread-safe: parallel uploads share one.</summary>
public interface IAccessTokenProvider
{
    /// <summary>A token valid for a few minutes at least, refreshing first when the stored one is (nearly) expired.</summary>
    ValueTask<string> GetAccessTokenAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Called after the API answered 401 to <paramref name="rejectedToken"/>: refreshes once, unless a parallel
    /// caller already replaced that token, and returns the token to retry with.
    /// </summary>
    Task<string> RefreshAsync(string rejectedToken, CancellationToken cancellationToken = default);
}
