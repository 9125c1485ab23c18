using System.Globalization;
using System.Text.Json;
using Q2Google.Emulator.Http;

namespace Q2Google.Emulator;

// Google's OpenID Connect side: the id_token the token endpoint adds once an identity scope was granted, the
// keys that verify it (www.googleapis.com/oauth2/v3/certs) and tokeninfo (oauth2.googleapis.com/tokeninfo).
// None of it is a Photos Library call: no Bearer token needed, nothing counted against the daily quota.
public sealed partial class PhotosEmulator
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
