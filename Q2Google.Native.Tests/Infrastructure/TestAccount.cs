using Q2Google.Api;
using Q2Google.Auth;
using Q2Google.Emulator;

namespace Q2Google.Tests.Infrastructure;

/// <summary>The emulator's default account, which test logins belong to, and the scopes a login today asks for.</summary>
internal static class TestAccount
{
    public const string Sub = EmulatorOptions.DefaultAccountSub;
    public const string Email = EmulatorOptions.DefaultAccountEmail;

    /// <summary>The Photos scopes (by default append and read) plus the identity scopes q2google's login adds.</summary>
    public static IReadOnlyList<string> LoginScopes(IReadOnlyList<string>? photos = null) => [.. photos ?? PhotosScopes.Default, .. OpenIdScopes.All];
}
