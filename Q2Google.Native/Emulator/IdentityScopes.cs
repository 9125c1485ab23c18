namespace Q2Google.Emulator;

/// <summary>
/// Google's OpenID Connect scopes as its consent page and token endpoint treat them. The short names are
/// accepted on the way in, but a grant reports <c>email</c> and <c>profile</c> in their long
/// <c>userinfo.*</c> form; <c>openid</c> stays as it is. Kept apart from the client's own scope table on
/// purpose, so a mistake there cannot be mirrored here.
/// </summary>
internal static class IdentityScopes
{
    public const string OpenId = "openid";
    public const string Email = "email";
    public const string Profile = "profile";
    public const string UserInfoEmail = "https://www.googleapis.com/auth/userinfo.email";
    public const string UserInfoProfile = "https://www.googleapis.com/auth/userinfo.profile";

    public static IEnumerable<string> All => [OpenId, Email, Profile, UserInfoEmail, UserInfoProfile];

    /// <summary>The spelling a granted scope is reported and stored in.</summary>
    public static string AsGranted(string scope) => scope switch
    {
        Email => UserInfoEmail,
        Profile => UserInfoProfile,
        _ => scope,
    };

    /// <summary>Scopes as granted: long forms, each once, in the order first asked for.</summary>
    public static IReadOnlyList<string> AsGranted(IEnumerable<string> scopes) => [.. scopes.Select(AsGranted).Distinct(StringComparer.Ordinal)];

    public static bool IsIdentity(string scope) => scope is OpenId or Email or Profile or UserInfoEmail or UserInfoProfile;

    /// <summary>Google answers with an <c>id_token</c> when any identity scope was granted, not only <c>openid</c>.</summary>
    public static bool AnyIdentity(IEnumerable<string> scopes) => scopes.Any(IsIdentity);

    public static bool GrantsEmail(IEnumerable<string> scopes) => scopes.Any(s => s is Email or UserInfoEmail);
}
