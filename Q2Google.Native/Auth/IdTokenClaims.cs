using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Q2Google.Auth;

/// <summary>
/// The two claims of an OpenID Connect <c>id_token</c> q2google uses: <c>sub</c>, the account's stable id, and
/// <c>email</c>, for people. The signature is not checked: the token comes straight from Google's token
/// endpoint over TLS, in the response to our own request, which OpenID Connect Core 1.0 §3.1.3.7 (item 6)
/// accepts in place of validating it ("the TLS server validation MAY be used to validate the issuer in place
/// of checking the token signature"). It is never used to authorize anything; it only names a library.
/// </summary>
internal sealed record IdTokenClaims
{
    [JsonPropertyName("sub")]
    public string? Sub { get; init; }

    [JsonPropertyName("email")]
    public string? Email { get; init; }

    /// <summary>The claims of a compact JWT (<c>header.payload.signature</c>), or null when it is not one.</summary>
    public static IdTokenClaims? TryRead(string? jwt)
    {
        var parts = jwt?.Split('.');
        if (parts is not { Length: 3 }) return null;
        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
            var claims = JsonSerializer.Deserialize(Convert.FromBase64String(payload), TokenJsonContext.Default.IdTokenClaims);
            return string.IsNullOrEmpty(claims?.Sub) ? null : claims;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Never print a token's content beyond the account.</summary>
    public override string ToString() => $"IdTokenClaims {{ email = {Email} }}";
}
