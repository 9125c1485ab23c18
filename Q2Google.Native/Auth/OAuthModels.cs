using System.Text.Json.Serialization;

namespace Q2Google.Auth;

// Google's OAuth endpoint JSON (docs/protocol.md#token-exchange and #refresh). Unknown fields are ignored.

public sealed record OAuthTokenResponse
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }

    /// <summary>Seconds; Google has been seen sending it as a string.</summary>
    [JsonPropertyName("expires_in")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public long? ExpiresIn { get; init; }

    /// <summary>Usually absent on refresh: keep the old one then.</summary>
    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; init; }

    [JsonPropertyName("scope")]
    public string? Scope { get; init; }

    [JsonPropertyName("token_type")]
    public string? TokenType { get; init; }

    /// <summary>Present when the login asked for <c>openid</c>: names the account (see <see cref="IdTokenClaims"/>).</summary>
    [JsonPropertyName("id_token")]
    public string? IdToken { get; init; }

    public override string ToString() => $"OAuthTokenResponse {{ expires_in = {ExpiresIn}, scope = {Scope} }}";
}

public sealed record OAuthErrorResponse
{
    [JsonPropertyName("error")]
    public string? Error { get; init; }

    [JsonPropertyName("error_description")]
    public string? ErrorDescription { get; init; }
}

/// <summary>What Google's <c>tokeninfo</c> endpoint says about an access token; only the account matters here.</summary>
public sealed record TokenInfoResponse
{
    [JsonPropertyName("sub")]
    public string? Sub { get; init; }

    [JsonPropertyName("email")]
    public string? Email { get; init; }

    [JsonPropertyName("aud")]
    public string? Audience { get; init; }

    [JsonPropertyName("scope")]
    public string? Scope { get; init; }
}
