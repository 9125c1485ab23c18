using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Q2Google.Emulator;

/// <summary>
/// Signs the emulator's <c>id_token</c>s as Google does (RS256 JWTs whose header names the key), checks them
/// again for tokeninfo, and publishes the public key as a JWKS. The key lives as long as the emulator: after a
/// restart old id_tokens no longer verify, as after one of Google's key rotations. It is made on first use,
/// not at start, because generating an RSA key costs a noticeable slice of a test that never needs one, and
/// the test suite starts hundreds of emulators.
/// </summary>
internal sealed class IdTokenSigner : IDisposable
{
    private readonly Lazy<(RSA Key, string KeyId)> _key = new(() =>
    {
        var key = RSA.Create(2048);
        // Google's key ids are 40 hex digits; any stable function of the key will do.
        var keyId = Convert.ToHexStringLower(SHA256.HashData(key.ExportParameters(false).Modulus!))[..40];
        return (key, keyId);
    });

    public string KeyId => _key.Value.KeyId;

    /// <summary>A compact JWS of <paramref name="payload"/> (the claims, as JSON).</summary>
    public string Sign(ReadOnlySpan<byte> payload)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("alg", "RS256");
            writer.WriteString("kid", KeyId);
            writer.WriteString("typ", "JWT");
            writer.WriteEndObject();
        }

        var signingInput = Base64Url.EncodeToString(buffer.ToArray()) + "." + Base64Url.EncodeToString(payload);
        var signature = _key.Value.Key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>
    /// The header and claims of a JWT this signer made, or null when it is malformed, names another key or
    /// algorithm, or its signature does not verify. Expiry is the caller's business.
    /// </summary>
    public (JsonElement Header, JsonElement Claims)? Verify(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement.Clone();
            if (header.ValueKind != JsonValueKind.Object
                || !header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != "RS256"
                || !header.TryGetProperty("kid", out var kid) || kid.ValueKind != JsonValueKind.String || kid.GetString() != KeyId)
            {
                return null;
            }

            var signature = Base64Url.DecodeFromChars(parts[2]);
            var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            if (!_key.Value.Key.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)) return null;

            var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement.Clone();
            return claims.ValueKind == JsonValueKind.Object ? (header, claims) : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or CryptographicException)
        {
            return null;
        }
    }

    /// <summary>The public key in the JSON Web Key Set shape of Google's <c>/oauth2/v3/certs</c>.</summary>
    public byte[] Jwks()
    {
        var key = _key.Value.Key.ExportParameters(false);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            writer.WriteStartObject();
            writer.WriteString("kty", "RSA");
            writer.WriteString("alg", "RS256");
            writer.WriteString("use", "sig");
            writer.WriteString("kid", KeyId);
            writer.WriteString("n", Base64Url.EncodeToString(key.Modulus));
            writer.WriteString("e", Base64Url.EncodeToString(key.Exponent));
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public void Dispose()
    {
        if (_key.IsValueCreated) _key.Value.Key.Dispose();
    }
}
