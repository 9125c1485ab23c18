using System.Net;
using System.Text.Json;
using Q2Google.Failures;
using Q2Google.Http;

namespace Q2Google.Auth;

/// <summary>
/// Google's token, revoke and tokeninfo endpoints (docs/protocol.md#oauth-installed-app-flow), spoken as form
/// posts. Every request has a timeout and the retries are few (<see cref="RetryOptions.TokenEndpoint"/>), so a
/// token endpoint that accepts the connection and never answers costs a run at most <see cref="MaxTotalWait"/>,
/// never a hang, and then ends it with one line (<see cref="TokenEndpointUnreachableException"/>).
/// </summary>
public sealed class OAuthTokenClient(HttpClient http, TimeProvider time)
{
    /// <summary>One request to the token endpoint, answer included.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Tests shorten the waits; the arithmetic of the bound stays the same.</summary>
    internal OAuthTokenClient(HttpClient http, TimeProvider time, TimeSpan requestTimeout, RetryOptions retry) : this(http, time)
    {
        RequestTimeout = requestTimeout;
        Retry = retry;
    }

    private TimeSpan RequestTimeout { get; } = DefaultRequestTimeout;

    private RetryOptions Retry { get; } = RetryOptions.TokenEndpoint with { Time = time };

    /// <summary>
    /// The longest a refresh can take before it fails: every attempt's timeout plus the longest waits between them
    /// (three attempts of 30 s, 1 s and 2 s between: 93 s).
    /// </summary>
    public TimeSpan MaxTotalWait => RequestTimeout * Retry.MaxAttempts
        + Enumerable.Range(0, Retry.MaxAttempts - 1).Aggregate(TimeSpan.Zero, (sum, i) => sum + Min(Retry.BaseDelay * Math.Pow(2, i), Retry.MaxDelay));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Exchanges a refresh token for a new access token; keeps the old refresh token unless Google sends one.</summary>
    public async Task<AuthorizedUserToken> RefreshAsync(AuthorizedUserToken token, CancellationToken cancellationToken = default)
    {
        if (token.MissingRefreshField() is { } missing)
        {
            throw new AuthenticationRequiredException(
                $"the token has no {missing}, so it cannot be refreshed: run `q2google auth login`");
        }

        var response = await PostTokenAsync(token.EffectiveTokenUri, "token refresh", new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = token.ClientId!,
            ["client_secret"] = token.ClientSecret!,
            ["refresh_token"] = token.RefreshToken!,
        }, cancellationToken).ConfigureAwait(false);

        return Apply(token, response);
    }

    /// <summary>The authorization-code exchange of the loopback flow, with the PKCE verifier.</summary>
    public Task<OAuthTokenResponse> ExchangeCodeAsync(string tokenUri, string clientId, string clientSecret,
        string code, string redirectUri, string codeVerifier, CancellationToken cancellationToken = default) =>
        PostTokenAsync(tokenUri, "authorization code exchange", new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = codeVerifier,
        }, cancellationToken);

    /// <summary>Revokes a token at Google (revoking the refresh token ends the whole grant).</summary>
    public async Task RevokeAsync(string tokenUri, string tokenToRevoke, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(RevokeUri(tokenUri), "token revocation", [new("token", tokenToRevoke)], cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await ToExceptionAsync(response, "token revocation", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Asks Google's tokeninfo endpoint whose access token this is: the account's <c>sub</c> (and e-mail) of a
    /// login that never recorded them. Null when Google does not say (it may leave <c>sub</c> out for a token
    /// without identity scopes) or cannot be asked; the caller then keeps the login's account unknown.
    /// </summary>
    public async Task<TokenInfoResponse?> TokenInfoAsync(AuthorizedUserToken token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token.Token)) return null;
        try
        {
            using var response = await SendAsync(TokenInfoUri(token.EffectiveTokenUri), "tokeninfo", [new("access_token", token.Token)], cancellationToken)
                .ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) return null;
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var info = TryParse(body, TokenJsonContext.Default.TokenInfoResponse);
            // An answer about another client's token says nothing about ours.
            return info?.Sub is { Length: > 0 } && (info.Audience is null || info.Audience == token.ClientId) ? info : null;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException)
        {
            return null;
        }
    }

    /// <summary>Google's revoke endpoint sits beside its token endpoint; so does the emulator's.</summary>
    public static Uri RevokeUri(string tokenUri) => new(EndpointRules.RequireSecure(tokenUri, "token_uri"), "revoke");

    /// <summary>Google's tokeninfo endpoint (<c>https://oauth2.googleapis.com/tokeninfo</c>) sits there too.</summary>
    public static Uri TokenInfoUri(string tokenUri) => new(EndpointRules.RequireSecure(tokenUri, "token_uri"), "tokeninfo");

    /// <summary>
    /// Applies a token response: new access token and expiry, refresh token kept unless replaced, and the account
    /// from the <c>id_token</c> when Google sent one (it does at login and on every refresh once <c>openid</c> was granted).
    /// </summary>
    public AuthorizedUserToken Apply(AuthorizedUserToken token, OAuthTokenResponse response)
    {
        var claims = IdTokenClaims.TryRead(response.IdToken);
        return token with
        {
            Token = response.AccessToken,
            Expiry = time.GetUtcNow().AddSeconds(response.ExpiresIn ?? 3599),
            RefreshToken = string.IsNullOrEmpty(response.RefreshToken) ? token.RefreshToken : response.RefreshToken,
            Scopes = response.Scope is null ? token.Scopes : ScopesJsonConverter.Split(response.Scope),
            AccountSub = claims?.Sub ?? token.AccountSub,
            AccountEmail = claims?.Email ?? token.AccountEmail,
        };
    }

    private async Task<OAuthTokenResponse> PostTokenAsync(string tokenUri, string operation,
        Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        var uri = EndpointRules.RequireSecure(tokenUri, "token_uri");
        try
        {
            return await Backoff.RetryAsync(Retry, async () =>
            {
                using var response = await SendAsync(uri, operation, form, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode) throw await ToExceptionAsync(response, operation, cancellationToken).ConfigureAwait(false);
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                return TryParse(body, TokenJsonContext.Default.OAuthTokenResponse) is { AccessToken: not null } parsed
                    ? parsed
                    : throw new OAuthException("invalid_response", "the answer had no access_token", (int)response.StatusCode, operation);
            }, cancellationToken, IsWorthAnotherTry).ConfigureAwait(false);
        }
        catch (Exception e) when (IsWorthAnotherTry(e) && !cancellationToken.IsCancellationRequested)
        {
            throw new TokenEndpointUnreachableException(operation, uri, e);
        }
    }

    /// <summary>What google-auth retries too; anything else (invalid_grant, …) will not get better by waiting.</summary>
    private static bool IsWorthAnotherTry(Exception e) =>
        e is HttpRequestException or TimeoutException or HostUnreachableException
        || e is OAuthException { HttpStatus: 500 or 503 or 504 or 408 or 429 };

    /// <summary>One form POST, headers and body read within <see cref="RequestTimeout"/>; our timeout is a <see cref="TimeoutException"/>, Ctrl+C stays a cancellation.</summary>
    private async Task<HttpResponseMessage> SendAsync(Uri uri, string operation, IEnumerable<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(form) };
            // The whole (small) answer is read here, under the timeout, so a server that stalls mid-body cannot hang the caller.
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            return response;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{operation}: {uri.Host} did not answer within {RequestTimeout.TotalSeconds:0} s");
        }
    }

    private static async Task<OAuthException> ToExceptionAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var error = TryParse(body, TokenJsonContext.Default.OAuthErrorResponse);
        return new OAuthException(error?.Error ?? $"http_{(int)response.StatusCode}", error?.ErrorDescription, (int)response.StatusCode, operation);
    }

    private static T? TryParse<T>(byte[] body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
