using System.Net;
using System.Text.Json;

namespace Q2Google.Auth;

/// <summary>Google's token and revoke endpoints (PROTOCOL.md 8.4-8.7), spoken as form posts.</summary>
public sealed class OAuthTokenClient(HttpClient http, TimeProvider time)
{
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)];

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
        var uri = RevokeUri(tokenUri);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new FormUrlEncodedContent([new("token", tokenToRevoke)]),
        };
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await ToExceptionAsync(response, "token revocation", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Google's revoke endpoint sits beside its token endpoint; so does the emulator's.</summary>
    public static Uri RevokeUri(string tokenUri)
    {
        var token = EndpointRules.RequireSecure(tokenUri, "token_uri");
        return new Uri(token, "revoke");
    }

    /// <summary>Applies a token response: new access token and expiry, refresh token kept unless replaced.</summary>
    public AuthorizedUserToken Apply(AuthorizedUserToken token, OAuthTokenResponse response) => token with
    {
        Token = response.AccessToken,
        Expiry = time.GetUtcNow().AddSeconds(response.ExpiresIn ?? 3599),
        RefreshToken = string.IsNullOrEmpty(response.RefreshToken) ? token.RefreshToken : response.RefreshToken,
        Scopes = response.Scope is null ? token.Scopes : ScopesJsonConverter.Split(response.Scope),
    };

    private async Task<OAuthTokenResponse> PostTokenAsync(string tokenUri, string operation,
        Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        var uri = EndpointRules.RequireSecure(tokenUri, "token_uri");
        for (var attempt = 0; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(form) };
                response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (attempt < RetryDelays.Length)
            {
                _ = e;
                await Task.Delay(RetryDelays[attempt], time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            using (response)
            {
                if (response.IsSuccessStatusCode)
                {
                    var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                    var parsed = TryParse(body, TokenJsonContext.Default.OAuthTokenResponse);
                    if (parsed?.AccessToken is null)
                    {
                        throw new OAuthException("invalid_response", "the answer had no access_token", (int)response.StatusCode, operation);
                    }

                    return parsed;
                }

                // google-auth retries these; anything else (invalid_grant, …) will not get better by waiting.
                if (attempt < RetryDelays.Length && response.StatusCode is HttpStatusCode.InternalServerError
                        or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
                        or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
                {
                    await Task.Delay(RetryDelays[attempt], time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw await ToExceptionAsync(response, operation, cancellationToken).ConfigureAwait(false);
            }
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
