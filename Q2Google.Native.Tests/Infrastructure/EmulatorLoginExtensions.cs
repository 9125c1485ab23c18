using Q2Google.Auth;
using Q2Google.Cli;
using Q2Google.Emulator;

namespace Q2Google.Tests.Infrastructure;

/// <summary>Tests mostly want an emulator login as the token q2google would keep.</summary>
internal static class EmulatorLoginExtensions
{
    public static AuthorizedUserToken CreateAuthorizedUser(this PhotosEmulator emulator, IReadOnlyList<string>? scopes = null, string? user = null,
        EmulatedClient? client = null, TimeSpan? accessTokenLifetime = null, string? email = null) =>
        emulator.CreateLogin(scopes, user, client, accessTokenLifetime, email).ToToken();
}
