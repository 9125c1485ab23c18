namespace Q2Google.Tests.Infrastructure;

/// <summary>The account test logins record, as a login with the openid and email scopes would.</summary>
public static class TestAccount
{
    public const string Sub = "100000000000000000001";
    public const string Email = "emulated.user@example.com";
}
