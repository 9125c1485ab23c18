using Q2Google.Http;

namespace Q2Google.Auth;

/// <summary>
/// The login, from start to every request: the saved token, refreshed at the token endpoint when (nearly)
/// expired or after a 401 and written back; a new login through the loopback flow (with the paste-back path
/// for machines without a browser) when there is none and a person is there to answer; and the account the
/// login belongs to. It is the <see cref="IAccessTokenProvider"/> the API client asks, so the CLI logs in
/// through it and nothing else. Nothing here deletes a token file: a dead one stays until a new login replaces
/// it, and even then a copy is kept beside it. Thread-safe: parallel uploads share one.
/// </summary>
/// <param name="scopes">The scopes a new login asks for (the identity scopes are always added).</param>
/// <param name="tokenStore">Where the login is kept; null keeps it in memory only.</param>
/// <param name="interactive">A person can answer a login prompt: a missing or dead login starts a new one instead of failing (exit 3).</param>
/// <param name="requiredScopes">Scopes without which the login is useless (by default the first of <paramref name="scopes"/>): a login that lacks one is not saved.</param>
/// <param name="warn">Told once when a refreshed token cannot be saved (a read-only secret mount): the run goes on with it in memory.</param>
/// <param name="holdScreen">Called while a login prompt waits for the person; disposing the result gives the screen back.</param>
public sealed class GooglePhotosOAuth(
    string clientSecretsPath,
    IReadOnlyList<string> scopes,
    ITokenStore? tokenStore,
    OAuthTokenClient oauth,
    IOAuthBrowser browser,
    TextReader input,
    TextWriter prompt,
    TimeProvider time,
    bool interactive = false,
    IReadOnlyList<string>? requiredScopes = null,
    Action<string>? warn = null,
    Func<IDisposable>? holdScreen = null) : IAccessTokenProvider
{
    /// <summary>google-auth refreshes 3 min 45 s early; a little more covers a slow chunk on a slow link.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private AuthorizedUserToken? _current;
    private bool _askedTokenInfo;
    private bool _warnedUnsaved;

    public IReadOnlyList<string> Scopes { get; } = scopes;

    private string StoreDescription => tokenStore?.Description ?? "memory";

    /// <summary>
    /// The saved token, refreshed first when it is (nearly) expired; null when there is none. A token that has
    /// expired and cannot be refreshed, or a refresh refused with <c>invalid_grant</c>, throws
    /// <see cref="AuthenticationRequiredException"/> (with the "Testing" hint) and leaves the file as it is.
    /// </summary>
    public async Task<AuthorizedUserToken?> LoadSavedCredentialsAsync(CancellationToken cancellationToken = default)
    {
        if (tokenStore is null || await tokenStore.LoadAsync(cancellationToken).ConfigureAwait(false) is not { } token) return null;
        // Where refreshes would go must be safe before the first one is needed, not half-way through a run.
        EndpointRules.RequireSecure(token.EffectiveTokenUri, $"token_uri in {tokenStore.Description}");
        if (!token.NeedsRefresh(time.GetUtcNow(), RefreshMargin)) return token;
        return await RefreshAndSaveAsync(token, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the browser flow and saves the new token; on denial or timeout nothing on disk changes.</summary>
    public async Task<AuthorizedUserToken> AuthorizeInteractiveAsync(LoginOptions? options = null, CancellationToken cancellationToken = default) =>
        await AuthorizeAsync(await ClientSecrets.LoadAsync(clientSecretsPath, cancellationToken).ConfigureAwait(false), options, cancellationToken)
            .ConfigureAwait(false);

    private async Task<AuthorizedUserToken> AuthorizeAsync(ClientSecrets client, LoginOptions? options, CancellationToken cancellationToken)
    {
        options ??= new LoginOptions();
        var pkce = Pkce.Create();
        using var screen = holdScreen?.Invoke();
        // openid and email make Google send an id_token naming the account: the journal is kept per library.
        var requested = Scopes.Concat(OpenIdScopes.All).Distinct().ToList();
        var answer = await new LoopbackAuthorization(client, requested, pkce, options, browser, input, prompt).RunAsync(cancellationToken).ConfigureAwait(false);

        OAuthTokenResponse response;
        try
        {
            response = await oauth.ExchangeCodeAsync(client.TokenUri, client.ClientId, client.ClientSecret, answer.Code,
                answer.RedirectUri, pkce.Verifier, cancellationToken).ConfigureAwait(false);
        }
        catch (OAuthException e) when (e.Error is "invalid_grant" or "redirect_uri_mismatch")
        {
            throw new AuthenticationRequiredException(
                $"Google refused the authorization code ({e.Error}): it was already used, expired, or belongs to another login attempt. " +
                "Run `q2google auth login` again and use the newest URL", e);
        }

        if (string.IsNullOrEmpty(response.RefreshToken))
        {
            throw new AuthenticationRequiredException(
                "Google granted access but sent no refresh token, so q2google could not keep working unattended. Remove q2google's " +
                "access at https://myaccount.google.com/permissions and run `q2google auth login` again");
        }

        var granted = response.Scope is { } scope ? ScopesJsonConverter.Split(scope) : requested.Select(OpenIdScopes.AsGranted).ToList();
        if ((requiredScopes ?? Scopes.Take(1)).FirstOrDefault(s => !granted.Contains(OpenIdScopes.AsGranted(s))) is { } missing)
        {
            throw new AuthenticationRequiredException(
                $"the permission {missing} was not granted on the consent page, and q2google cannot work without it; nothing was saved. " +
                "Run `q2google auth login` again and leave every box ticked");
        }

        var now = time.GetUtcNow();
        var account = IdTokenClaims.TryRead(response.IdToken);
        var token = new AuthorizedUserToken
        {
            Token = response.AccessToken,
            RefreshToken = response.RefreshToken,
            TokenUri = client.TokenUri,
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            Scopes = granted,
            Expiry = now.AddSeconds(response.ExpiresIn ?? 3599),
            UniverseDomain = "googleapis.com",
            Account = "",
            LoginTime = now,
            AccountSub = account?.Sub,
            AccountEmail = account?.Email,
        };

        if (tokenStore is not null)
        {
            if (tokenStore is FileTokenStore file && file.KeepPrevious() is { } kept) prompt.WriteLine($"The previous token file was kept as {kept}.");
            await tokenStore.SaveAsync(token, cancellationToken).ConfigureAwait(false);
        }

        return token;
    }

    /// <summary>Saved, else refreshed, else a new login, but only when <paramref name="interactive"/> (a person at a terminal).</summary>
    public async Task<AuthorizedUserToken> EnsureCredentialsAsync(bool interactive, LoginOptions? options = null, CancellationToken cancellationToken = default)
    {
        AuthenticationRequiredException? dead = null;
        try
        {
            if (await LoadSavedCredentialsAsync(cancellationToken).ConfigureAwait(false) is { } saved) return saved;
        }
        catch (AuthenticationRequiredException e)
        {
            dead = e;
        }

        if (!interactive) throw dead ?? AuthenticationRequiredException.NotLoggedIn(StoreDescription);
        // Without a client there is no login to start: that is said before any login is announced.
        var client = await ClientSecrets.LoadAsync(clientSecretsPath, cancellationToken).ConfigureAwait(false);
        using var screen = holdScreen?.Invoke();
        prompt.WriteLine(dead is null ? "No usable login yet: logging in first (Ctrl+C to stop)." : dead.Message + " Logging in again (Ctrl+C to stop).");
        return await AuthorizeAsync(client, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A token valid for a few minutes at least: the current one, else the saved one refreshed, else a new login when a person is there.</summary>
    public async ValueTask<string> GetAccessTokenAsync(CancellationToken cancellationToken = default)
    {
        var current = _current;
        if (current is not null && !current.NeedsRefresh(time.GetUtcNow(), RefreshMargin)) return current.Token!;

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _current ??= await EnsureCredentialsAsync(interactive, null, cancellationToken).ConfigureAwait(false);
            if (_current.NeedsRefresh(time.GetUtcNow(), RefreshMargin)) _current = await RefreshOrLoginAsync(_current, cancellationToken).ConfigureAwait(false);
            return _current.Token!;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>After a 401: refreshes once, unless a parallel caller already replaced the rejected token.</summary>
    public async Task<string> RefreshAsync(string rejectedToken, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _current ??= await EnsureCredentialsAsync(interactive, null, cancellationToken).ConfigureAwait(false);
            if (_current.Token != rejectedToken) return _current.Token!;
            _current = await RefreshOrLoginAsync(_current, cancellationToken).ConfigureAwait(false);
            return _current.Token!;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The login in use, with a fresh access token and, when it can be learned, its account: from the stored
    /// <c>id_token</c> claims, from the refresh just made, or from Google's tokeninfo endpoint (asked once, for a
    /// login granted an identity scope that never recorded its account; what it says is saved with the login).
    /// </summary>
    public async Task<AuthorizedUserToken> GetLoginAsync(CancellationToken cancellationToken = default)
    {
        await GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // With no identity scope Google may leave sub out of tokeninfo; such a login is keyed by its client.
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

    private async Task<AuthorizedUserToken> RefreshOrLoginAsync(AuthorizedUserToken token, CancellationToken cancellationToken)
    {
        try
        {
            return await RefreshAndSaveAsync(token, cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationRequiredException) when (interactive)
        {
            return await AuthorizeInteractiveAsync(null, cancellationToken).ConfigureAwait(false);
        }
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
            // A run serving for weeks outlives its login: someone may have logged in again since it read this one.
            if (tokenStore is not null && await tokenStore.LoadAsync(cancellationToken).ConfigureAwait(false) is { } saved
                && saved.RefreshToken != token.RefreshToken)
            {
                // Another account's login would put uploads in a library this run's journal does not describe.
                if (saved.AccountSub != token.AccountSub || saved.ClientId != token.ClientId)
                {
                    throw new AuthenticationRequiredException(
                        $"the login in {StoreDescription} was replaced by one for {saved.AccountEmail ?? "another account or client"}; " +
                        "start q2google again to upload to that library", e);
                }

                return saved.NeedsRefresh(time.GetUtcNow(), RefreshMargin) ? await RefreshAndSaveAsync(saved, cancellationToken).ConfigureAwait(false) : saved;
            }

            throw new AuthenticationRequiredException(ReloginAdvice.ForInvalidGrant(token, time.GetUtcNow(), StoreDescription), e);
        }

        await SaveAsync(refreshed, cancellationToken).ConfigureAwait(false);
        return refreshed;
    }

    /// <summary>Saves, or keeps the token in memory for this run when its file cannot be written (a read-only mount).</summary>
    private async Task SaveAsync(AuthorizedUserToken token, CancellationToken cancellationToken)
    {
        if (tokenStore is null) return;
        try
        {
            await tokenStore.SaveAsync(token, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (_warnedUnsaved) return;
            _warnedUnsaved = true;
            warn?.Invoke($"cannot save the refreshed login to {tokenStore.Description} ({e.Message}); it is used from memory for this run, " +
                         "and the next run refreshes it again");
        }
    }
}
