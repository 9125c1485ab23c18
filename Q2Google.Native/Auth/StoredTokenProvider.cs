using Q2Google.Http;

namespace Q2Google.Auth;

/// <summary>
/// Access tokens from an <see cref="ITokenStore"/>: refreshed at the token endpoint when (nearly) expired or
/// after a 401, and written back to the store, so the next run starts with a fresh token.
/// </summary>
/// <param name="login">
/// A new interactive login, offered only when a person sits at a terminal; null in CI and cron, where a
/// missing or dead token is an error (exit 3) instead of a prompt nobody answers.
/// </param>
/// <param name="warn">Told once when a refreshed token cannot be saved (a read-only secret mount): the run goes on with it in memory.</param>
public sealed class StoredTokenProvider(ITokenStore store, OAuthTokenClient oauth, TimeProvider time,
    Func<CancellationToken, Task<AuthorizedUserToken>>? login = null, Action<string>? warn = null) : IAccessTokenProvider
{
    /// <summary>google-auth refreshes 3 min 45 s early; a little more covers a slow chunk on a slow link.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private AuthorizedUserToken? _current;
    private bool _askedTokenInfo;
    private bool _warnedUnsaved;

    /// <summary>
    /// The login in use, with a fresh access token and, when it can be learned, its account: from the stored
    /// <c>id_token</c> claims, from the refresh just made, or from Google's tokeninfo endpoint (asked once, for a
    /// login that never recorded its account; what it says is saved with the login).
    /// </summary>
    public async Task<AuthorizedUserToken> GetLoginAsync(CancellationToken cancellationToken = default)
    {
        await GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Only a login granted an identity scope can be named by tokeninfo (with none, Google may leave sub
            // out); such a login normally learns its account from the id_token of its first refresh already.
            if (_current!.AccountSub is null && !_askedTokenInfo && (_current.Scopes ?? []).Any(OpenIdScopes.IsIdentityScope))
            {
                _askedTokenInfo = true;
                if (await oauth.TokenInfoAsync(_current, cancellationToken).ConfigureAwait(false) is { } info)
                {
                    _current = _current with { AccountSub = info.Sub, AccountEmail = info.Email ?? _current.AccountEmail };
                    await SaveAsync(_current, cancellationToken).ConfigureAwait(false);
                }
            }

            return _current;
        }
        finally
        {
            _gate.Release();
        }
    }

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
        if (await store.LoadAsync(cancellationToken).ConfigureAwait(false) is { } token)
        {
            // Where refreshes would go must be safe before the first one is needed, not half-way through a run.
            EndpointRules.RequireSecure(token.EffectiveTokenUri, $"token_uri in {store.Description}");
            return token;
        }

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

        await SaveAsync(refreshed, cancellationToken).ConfigureAwait(false);
        return refreshed;
    }

    /// <summary>Saves, or keeps the token in memory for this run when its file cannot be written (a read-only mount).</summary>
    private async Task SaveAsync(AuthorizedUserToken token, CancellationToken cancellationToken)
    {
        try
        {
            await store.SaveAsync(token, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (_warnedUnsaved) return;
            _warnedUnsaved = true;
            warn?.Invoke($"cannot save the refreshed login to {store.Description} ({e.Message}); it is used from memory for this run, " +
                         "and the next run refreshes it again");
        }
    }
}
