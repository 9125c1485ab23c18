using System.Globalization;
using System.Text.Json;
using Q2Google.Http;

namespace Q2Google.Emulator;

// Google's OpenID Connect side: the id_token the token endpoint adds once an identity scope was granted, the
// keys that verify it (www.googleapis.com/oauth2/v3/certs), tokeninfo (oauth2.googleapis.com/tokeninfo), the
// discovery document and userinfo.
// None of it is a Photos Library call: no Bearer token needed, nothing counted against the daily quota.
internal sealed partial class PhotosEmulator
{
    private const string Issuer = "https://accounts.google.com";
    private static readonly TimeSpan IdTokenLifetime = TimeSpan.FromHours(1);

    private string IdToken(EmulatedAccessToken access)
    {
        var grant = access.Grant;
        var issuedAt = Options.Time.GetUtcNow().ToUnixTimeSeconds();
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("iss", Issuer);
            writer.WriteString("azp", grant.ClientId);
            writer.WriteString("aud", grant.ClientId);
            writer.WriteString("sub", grant.User);
            if (IdentityScopes.GrantsEmail(access.Scopes))
            {
                writer.WriteString("email", EmailOf(grant));
                writer.WriteBoolean("email_verified", true);
            }

            writer.WriteNumber("iat", issuedAt);
            writer.WriteNumber("exp", issuedAt + (long)IdTokenLifetime.TotalSeconds);
            writer.WriteEndObject();
        }

        return _signer.Sign(buffer.ToArray());
    }

    /// <summary>State saved before grants remembered an address has none; such an account gets a made-up one.</summary>
    private static string EmailOf(EmulatedGrant grant) => grant.Email ?? grant.User + "@example.com";

    private HttpResponse HandleCerts(HttpExchange exchange)
    {
        if (exchange.Request.Method != "GET") return GoogleErrors.Json(405, "Use GET.", "INVALID_ARGUMENT");
        return HttpResponse.Json(200, _signer.Jwks()).WithHeader("Cache-Control", "public, max-age=21600, must-revalidate, no-transform");
    }

    /// <summary>
    /// Google's OpenID discovery document (accounts.google.com/.well-known/openid-configuration), pointing at this
    /// emulator's endpoints and listing only what it implements. rclone reads it to find userinfo and revocation.
    /// </summary>
    private HttpResponse HandleDiscovery(HttpExchange exchange)
    {
        if (exchange.Request.Method != "GET") return GoogleErrors.Json(405, "Use GET.", "INVALID_ARGUMENT");
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            // The issuer is Google's whatever the host, because it must equal the id_token's iss claim.
            writer.WriteString("issuer", Issuer);
            writer.WriteString("authorization_endpoint", new Uri(BaseUrl, "o/oauth2/v2/auth").AbsoluteUri);
            writer.WriteString("token_endpoint", TokenUri.AbsoluteUri);
            writer.WriteString("userinfo_endpoint", new Uri(BaseUrl, "oauth2/v3/userinfo").AbsoluteUri);
            writer.WriteString("revocation_endpoint", new Uri(BaseUrl, "revoke").AbsoluteUri);
            writer.WriteString("jwks_uri", CertsUri.AbsoluteUri);
            WriteStrings(writer, "response_types_supported", ["code"]);
            WriteStrings(writer, "subject_types_supported", ["public"]);
            WriteStrings(writer, "id_token_signing_alg_values_supported", ["RS256"]);
            WriteStrings(writer, "scopes_supported", [IdentityScopes.OpenId, IdentityScopes.Email, IdentityScopes.Profile]);
            WriteStrings(writer, "token_endpoint_auth_methods_supported", ["client_secret_post", "client_secret_basic"]);
            WriteStrings(writer, "claims_supported", ["aud", "email", "email_verified", "exp", "iat", "iss", "sub"]);
            WriteStrings(writer, "code_challenge_methods_supported", ["plain", "S256"]);
            WriteStrings(writer, "grant_types_supported", ["authorization_code", "refresh_token"]);
            writer.WriteEndObject();
        }

        return HttpResponse.Json(200, buffer.ToArray());
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, string[] values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values) writer.WriteStringValue(value);
        writer.WriteEndArray();
    }

    /// <summary>
    /// The userinfo endpoint (openidconnect.googleapis.com/v1/userinfo, www.googleapis.com/oauth2/v3/userinfo):
    /// the same account claims as the id_token, <c>email_verified</c> a JSON boolean here. The emulated account
    /// has no name or picture, so the profile scope adds nothing; OpenID allows leaving out claims one lacks.
    /// A token without any identity scope is refused like a bad one (Google's exact answer is UNCONFIRMED).
    /// </summary>
    private HttpResponse HandleUserInfo(HttpExchange exchange)
    {
        var request = exchange.Request;
        if (request.Method is not ("GET" or "POST")) return GoogleErrors.OAuth(405, "invalid_request", "Use GET or POST.");
        var header = request.Header("Authorization");
        var token = header is not null && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Trim() : null;
        EmulatedAccessToken? access = null;
        if (token is not null)
        {
            lock (_gate) access = _accessTokens.GetValueOrDefault(token);
        }

        if (access is null || access.Revoked || access.Grant.Revoked || access.ExpiresAt <= Options.Time.GetUtcNow()
            || !IdentityScopes.AnyIdentity(access.Scopes))
        {
            return GoogleErrors.OAuth(401, "invalid_request", "Invalid Credentials").WithHeader("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\"");
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("sub", access.Grant.User);
            if (IdentityScopes.GrantsEmail(access.Scopes))
            {
                writer.WriteString("email", EmailOf(access.Grant));
                writer.WriteBoolean("email_verified", true);
            }

            writer.WriteEndObject();
        }

        return HttpResponse.Json(200, buffer.ToArray());
    }

    private async Task<HttpResponse> HandleTokenInfoAsync(HttpExchange exchange, CancellationToken cancellationToken)
    {
        var request = exchange.Request;
        if (request.Method is not ("GET" or "POST")) return GoogleErrors.OAuth(405, "invalid_request", "Use GET or POST.");
        var form = request.Method == "POST"
            ? await ReadFormAsync(exchange, cancellationToken).ConfigureAwait(false)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        string? Field(string name) => form.GetValueOrDefault(name) ?? request.QueryValue(name);

        if (Field("access_token") is { } accessToken) return AccessTokenInfo(accessToken);
        if (Field("id_token") is { } idToken) return IdTokenInfo(idToken);
        return GoogleErrors.OAuth(400, "invalid_request", "Either access_token, id_token, or token_handle required");
    }

    private HttpResponse AccessTokenInfo(string token)
    {
        var now = Options.Time.GetUtcNow();
        EmulatedAccessToken? access;
        lock (_gate) access = _accessTokens.GetValueOrDefault(token);
        if (access is null || access.Revoked || access.Grant.Revoked || access.ExpiresAt <= now) return InvalidToken();

        var grant = access.Grant;
        var identity = IdentityScopes.AnyIdentity(access.Scopes);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            // Google sends every value as a string here, numbers and booleans included.
            writer.WriteStartObject();
            writer.WriteString("azp", grant.ClientId);
            writer.WriteString("aud", grant.ClientId);
            if (identity || Options.TokenInfoSubWithoutIdentityScopes) writer.WriteString("sub", grant.User);
            writer.WriteString("scope", string.Join(' ', access.Scopes));
            writer.WriteString("exp", access.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            writer.WriteString("expires_in", ((long)(access.ExpiresAt - now).TotalSeconds).ToString(CultureInfo.InvariantCulture));
            if (IdentityScopes.GrantsEmail(access.Scopes))
            {
                writer.WriteString("email", EmailOf(grant));
                writer.WriteString("email_verified", "true");
            }

            writer.WriteString("access_type", "offline");
            writer.WriteEndObject();
        }

        return HttpResponse.Json(200, buffer.ToArray());
    }

    /// <summary>The claims of an id_token this emulator signed and that has not expired, then its header's fields, all as strings.</summary>
    private HttpResponse IdTokenInfo(string idToken)
    {
        if (_signer.Verify(idToken) is not { } verified) return InvalidToken();
        var (header, claims) = verified;
        if (!claims.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var expiresAt)
            || expiresAt <= Options.Time.GetUtcNow().ToUnixTimeSeconds())
        {
            return InvalidToken();
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var claim in claims.EnumerateObject()) WriteAsString(writer, claim);
            foreach (var field in header.EnumerateObject()) WriteAsString(writer, field);
            writer.WriteEndObject();
        }

        return HttpResponse.Json(200, buffer.ToArray());
    }

    private static void WriteAsString(Utf8JsonWriter writer, JsonProperty property)
    {
        var text = property.Value.ValueKind switch
        {
            JsonValueKind.String => property.Value.GetString()!,
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => property.Value.GetRawText(),
        };
        writer.WriteString(property.Name, text);
    }

    private static HttpResponse InvalidToken() => GoogleErrors.OAuth(400, "invalid_token", "Invalid Value");
}
