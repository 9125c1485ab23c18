using Q2Google.Api;

namespace Q2Google.Auth;

/// <summary>
/// Getting a usable login: the saved token, refreshed when needed, or a new one from the loopback flow
/// (with the paste-back path for machines without a browser). Nothing here deletes a token file: a dead one
/// stays until a new login replaces it, and even then a copy is kept beside it.
/// </summary>
public sealed class GooglePhotosOAuth(
    string clientSecretsPath,
    IReadOnlyList<string> scopes,
    ITokenStore? tokenStore,
    OAuthTokenClient oauth,
    IOAuthBrowser browser,
    TextReader input,
    TextWriter prompt,
    TimeProvider time)
{
    public IReadOnlyList<string> Scopes { get; } = scopes;

    /// <summary>
    /// The saved token, refreshed first when it is (nearly) expired; null when there is none or it can never be
    /// refreshed. A refresh refused with <c>invalid_grant</c> throws <see cref="AuthenticationRequiredException"/>
    /// (with the "Testing" hint) and leaves the file as it is.
    /// </summary>
    public async Task<AuthorizedUserToken?> LoadSavedCredentialsAsync(CancellationToken cancellationToken = default)
    {
        if (tokenStore is null || await tokenStore.LoadAsync(cancellationToken).ConfigureAwait(false) is not { } token) return null;
        if (!token.NeedsRefresh(time.GetUtcNow(), StoredTokenProvider.RefreshMargin)) return token;
        if (token.MissingRefreshField() is not null) return null;

        try
        {
            var refreshed = await oauth.RefreshAsync(token, cancellationToken).ConfigureAwait(false);
            await tokenStore.SaveAsync(refreshed, cancellationToken).ConfigureAwait(false);
            return refreshed;
        }
        catch (OAuthException e) when (e.IsInvalidGrant)
        {
            throw new AuthenticationRequiredException(ReloginAdvice.ForInvalidGrant(token, time.GetUtcNow(), tokenStore.Description), e);
        }
    }

    /// <summary>Runs the browser flow and saves the new token; on denial or timeout nothing on disk changes.</summary>
    public async Task<AuthorizedUserToken> AuthorizeInteractiveAsync(LoginOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LoginOptions();
        var client = await ClientSecrets.LoadAsync(clientSecretsPath, cancellationToken).ConfigureAwait(false);
        var pkce = Pkce.Create();
        // openid and email make Google send an id_token naming the account: the journal is kept per library.
        var requested = Scopes.Concat(OpenIdScopes.All).Distinct().ToList();
        var flow = new LoopbackAuthorization(client, requested, pkce, options, browser, input, prompt);
        var answer = await flow.RunAsync(cancellationToken).ConfigureAwait(false);

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
        var missing = Scopes.Where(s => !granted.Contains(OpenIdScopes.AsGranted(s))).ToList();
        if (missing.Contains(PhotosScopes.AppendOnly))
        {
            throw new AuthenticationRequiredException(
                "the permission to upload ('append') was not granted on the consent page, so q2google cannot upload; nothing was saved. " +
                "Run `q2google auth login` again and leave every box ticked");
        }

        if (missing.Count > 0)
        {
            prompt.WriteLine($"warning: these permissions were not granted: {string.Join(", ", missing.Select(PhotosScopes.ShortName))}; commands that need them will fail");
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

        if (!interactive)
        {
            throw dead ?? new AuthenticationRequiredException(
                $"not logged in (no usable token in {tokenStore?.Description ?? "memory"}): run `q2google auth login`, or set {InMemoryTokenStore.EnvironmentVariable} in CI");
        }

        if (dead is not null) prompt.WriteLine(dead.Message);
        return await AuthorizeInteractiveAsync(options, cancellationToken).ConfigureAwait(false);
    }
}
