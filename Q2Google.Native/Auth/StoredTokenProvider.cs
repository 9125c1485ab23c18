namespace Q2Google.Auth;

/// <summary>
/// Access tokens from an <see cref="ITokenStore"/>: refreshed at the token endpoint when (nearly) expired or
/// after a 401, and written back to the store, so the next run starts with a fresh token.
/// </summary>
/// <param name="login">
/// A new interactive login, offered only when a person sits at a terminal; null in CI and cron, where a
/// missing or dead token is an error (exit 3) instead of a prompt nobody answers.
/// </param>
public sealed class StoredTokenProvider(ITokenStore store, OAuthTokenClient oauth, TimeProvider time,
    Func<CancellationToken, Task<AuthorizedUserToken>>? login = null) : IAccessTokenProvider
{
    /// <summary>google-auth refreshes 3 min 45 s early; a little more covers a slow chunk on a slow link.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private AuthorizedUserToken? _current;

    public async ValueTask<string> GetAccessTokenAsync(CancellationToken cancellationToken = default)
    {
        var current = _current;
        if (current is not null && !current.NeedsRefresh(time.GetUtcNow(), RefreshMargin)) return current.Token!;

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _current ??= await LoadAsync(cancellationToken).ConfigureAwait(false);
            if (_current.NeedsRefresh(time.GetUtcNow(), RefreshMargin))
            {
                _current = await RefreshAndSaveAsync(_current, cancellationToken).ConfigureAwait(false);
            }

            return _current.Token!;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<string> RefreshAsync(string rejectedToken, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _current ??= await LoadAsync(cancellationToken).ConfigureAwait(false);
            if (_current.Token != rejectedToken) return _current.Token!;
            _current = await RefreshAndSaveAsync(_current, cancellationToken).ConfigureAwait(false);
            return _current.Token!;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<AuthorizedUserToken> LoadAsync(CancellationToken cancellationToken)
    {
        if (await store.LoadAsync(cancellationToken).ConfigureAwait(false) is { } token) return token;
        if (login is not null) return await login(cancellationToken).ConfigureAwait(false);
        throw new AuthenticationRequiredException(
            $"not logged in (no token in {store.Description}): run `q2google auth login`, or set {InMemoryTokenStore.EnvironmentVariable} in CI");
    }

    private async Task<AuthorizedUserToken> RefreshAndSaveAsync(AuthorizedUserToken token, CancellationToken cancellationToken)
    {
        AuthorizedUserToken refreshed;
        try
        {
            refreshed = await oauth.RefreshAsync(token, cancellationToken).ConfigureAwait(false);
        }
        catch (OAuthException e) when (e.IsInvalidGrant)
        {
            if (login is not null) return await login(cancellationToken).ConfigureAwait(false);
            throw new AuthenticationRequiredException(ReloginAdvice.ForInvalidGrant(token, time.GetUtcNow(), store.Description), e);
        }

        await store.SaveAsync(refreshed, cancellationToken).ConfigureAwait(false);
        return refreshed;
    }
}
