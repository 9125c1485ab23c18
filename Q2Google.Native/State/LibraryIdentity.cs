using System.Security.Cryptography;
using System.Text;

namespace Q2Google.State;

/// <summary>
/// Whose library a journal describes: the API endpoint (scheme, host, port) and the Google account (the
/// <c>sub</c> of the login's <c>id_token</c>). A login that never recorded its account (an old token file, a
/// Python <c>token.json</c>) is known by its OAuth client id instead, with a marker that keeps it apart from
/// every account-keyed library. Records made under one identity are never used under another.
/// </summary>
internal sealed record LibraryIdentity
{
    /// <summary><c>https://photoslibrary.googleapis.com:443</c>: scheme, host and port, nothing else.</summary>
    public required string Endpoint { get; init; }

    /// <summary>The account's stable id; null when the login never said.</summary>
    public string? AccountSub { get; init; }

    public string? AccountEmail { get; init; }

    /// <summary>The OAuth client; the account's stand-in when <see cref="AccountSub"/> is unknown.</summary>
    public required string ClientId { get; init; }

    public bool KnowsAccount => AccountSub is not null;

    /// <summary>What identifies the library; the e-mail is for people only (it can change, the sub cannot).</summary>
    public string Account => AccountSub is not null ? "sub:" + AccountSub : "client:" + ClientId + ":account-unknown";

    /// <summary>The library's folder name under <c>libraries/</c>: a hash, so no e-mail or host ends up in a path.</summary>
    public string Key => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Endpoint + "\n" + Account)))[..20];

    /// <summary>For messages: "anna@example.com at https://photoslibrary.googleapis.com:443".</summary>
    public string Describe() =>
        (AccountEmail ?? (AccountSub is not null ? "account " + AccountSub : "an unrecorded account of client " + ShortClient(ClientId))) + " at " + Endpoint;

    private static string ShortClient(string clientId)
    {
        var head = clientId.Split('.', 2)[0];
        return head.Length <= 12 ? head : head[..12] + "...";
    }
}
