using Q2Google.Auth;
using Q2Google.Emulator;

namespace Q2Google.Cli;

/// <summary>An emulator login as q2google keeps a login: the token file's layout.</summary>
internal static class EmulatorLogins
{
    public static AuthorizedUserToken ToToken(this EmulatedLogin login) => new()
    {
        Token = login.AccessToken,
        RefreshToken = login.RefreshToken,
        TokenUri = login.TokenUri,
        ClientId = login.ClientId,
        ClientSecret = login.ClientSecret,
        Scopes = login.Scopes,
        Expiry = login.Expiry,
        LoginTime = login.LoginTime,
        AccountSub = login.AccountSub,
        AccountEmail = login.AccountEmail,
    };
}
