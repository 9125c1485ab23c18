using System.Security.Cryptography;
using System.Text;

namespace Q2Google.Auth;

/// <summary>PKCE (RFC 7636, S256) and the anti-forgery <c>state</c>: 32 random bytes each, base64url.</summary>
internal sealed record Pkce(string Verifier, string Challenge, string State)
{
    public static Pkce Create()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return new Pkce(verifier, ChallengeOf(verifier), Base64Url(RandomNumberGenerator.GetBytes(32)));
    }

    public static string ChallengeOf(string verifier) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>Constant-time, ordinal; a missing state never matches.</summary>
    public bool StateMatches(string? state) =>
        state is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(state), Encoding.UTF8.GetBytes(State));

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public override string ToString() => "Pkce { … }";
}
