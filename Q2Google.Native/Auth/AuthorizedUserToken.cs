using System.Text.Json;
using System.Text.Json.Serialization;

namespace Q2Google.Auth;

/// <summary>
/// The token file, in the "authorized user" layout Google's Python libraries write (docs/protocol.md#token-file), so a
/// token made by them works here and ours works there. Unknown keys (<c>rapt_token</c>, …) are kept.
/// </summary>
public sealed record AuthorizedUserToken
{
    public const string GoogleTokenUri = "https://oauth2.googleapis.com/token";

    /// <summary>The access token; null or stale is fine as long as a refresh token exists.</summary>
    [JsonPropertyName("token")]
    public string? Token { get; init; }

    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; init; }

    [JsonPropertyName("token_uri")]
    public string? TokenUri { get; init; }

    [JsonPropertyName("client_id")]
    public string? ClientId { get; init; }

    [JsonPropertyName("client_secret")]
    public string? ClientSecret { get; init; }

    /// <summary>A list in our files; Python also accepts a space-separated string, and so do we.</summary>
    [JsonPropertyName("scopes")]
    [JsonConverter(typeof(ScopesJsonConverter))]
    public IReadOnlyList<string>? Scopes { get; init; }

    /// <summary>When <see cref="Token"/> expires. Missing means "already expired", as in google-auth.</summary>
    [JsonPropertyName("expiry")]
    [JsonConverter(typeof(ExpiryJsonConverter))]
    public DateTimeOffset? Expiry { get; init; }

    [JsonPropertyName("universe_domain")]
    public string? UniverseDomain { get; init; }

    [JsonPropertyName("account")]
    public string? Account { get; init; }

    /// <summary>When this refresh token was granted; lets <c>auth status</c> recognise the 7-day "Testing" expiry.</summary>
    [JsonPropertyName("q2google_login_time")]
    [JsonConverter(typeof(ExpiryJsonConverter))]
    public DateTimeOffset? LoginTime { get; init; }

    /// <summary>
    /// The Google account's stable id: the <c>sub</c> claim of the <c>id_token</c> Google returned at login or
    /// refresh. With the API endpoint it names the library the upload journal describes. Python ignores it.
    /// </summary>
    [JsonPropertyName("q2google_account_sub")]
    public string? AccountSub { get; init; }

    /// <summary>The account's e-mail address from the same <c>id_token</c>, for people (<c>auth status</c>).</summary>
    [JsonPropertyName("q2google_account_email")]
    public string? AccountEmail { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    [JsonIgnore]
    public string EffectiveTokenUri => string.IsNullOrWhiteSpace(TokenUri) ? GoogleTokenUri : TokenUri;

    /// <summary>Why this token can never be refreshed, or null when it can.</summary>
    public string? MissingRefreshField() =>
        string.IsNullOrWhiteSpace(RefreshToken) ? "refresh_token"
        : string.IsNullOrWhiteSpace(ClientId) ? "client_id"
        : string.IsNullOrWhiteSpace(ClientSecret) ? "client_secret"
        : null;

    /// <summary>True when the access token is missing or expires within <paramref name="margin"/>.</summary>
    public bool NeedsRefresh(DateTimeOffset now, TimeSpan margin) =>
        string.IsNullOrEmpty(Token) || Expiry is null || Expiry.Value - margin <= now;

    /// <summary>Never print a token: this is what logs and errors may show instead.</summary>
    public override string ToString() =>
        $"AuthorizedUserToken {{ client_id = {ShortClientId(ClientId)}, expiry = {Expiry:O}, has_refresh_token = {!string.IsNullOrEmpty(RefreshToken)} }}";

    public static string ShortClientId(string? clientId)
    {
        if (string.IsNullOrEmpty(clientId)) return "(none)";
        var head = clientId.Split('.', 2)[0];
        return head.Length <= 12 ? head : head[..12] + "...";
    }
}
