namespace Q2Google.Auth;

/// <summary>
/// The OpenID Connect scopes <c>auth login</c> asks for besides the Photos scopes: with them Google's token
/// endpoint returns an <c>id_token</c> whose <c>sub</c> names the account, so the journal knows whose library
/// it describes. Google answers the short name <c>email</c> with the long one in the granted scope list.
/// </summary>
public static class OpenIdScopes
{
    public const string OpenId = "openid";
    public const string Email = "email";
    public const string UserInfoEmail = "https://www.googleapis.com/auth/userinfo.email";

    public static IReadOnlyList<string> All { get; } = [OpenId, Email];

    /// <summary>The form Google reports a granted scope in (<c>email</c> comes back as <c>…/userinfo.email</c>).</summary>
    public static string AsGranted(string scope) => scope == Email ? UserInfoEmail : scope;

    /// <summary>True for the identity scopes, in either spelling.</summary>
    public static bool IsIdentityScope(string scope) => scope is OpenId or Email or UserInfoEmail;
}
