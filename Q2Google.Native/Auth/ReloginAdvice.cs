namespace Q2Google.Auth;

/// <summary>What to tell a user whose refresh token stopped working (docs/protocol.md#refresh-token-expiry).</summary>
internal static class ReloginAdvice
{
    /// <summary>Refresh tokens of apps in "Testing" publishing status die 7 days after login.</summary>
    public static readonly TimeSpan TestingModeLifetime = TimeSpan.FromDays(7);

    public static string ForInvalidGrant(AuthorizedUserToken token, DateTimeOffset now, string storeDescription)
    {
        var age = token.LoginTime is { } login ? now - login : (TimeSpan?)null;
        var testing = age is null || (age.Value >= TestingModeLifetime - TimeSpan.FromHours(12) && age.Value < TestingModeLifetime + TimeSpan.FromDays(3))
            ? " If this happens about a week after each login, your OAuth app is in \"Testing\" publishing status, where Google " +
              "expires refresh tokens after 7 days: in Google Cloud Console open APIs & Services > OAuth consent screen and " +
              "press \"Publish app\" (personal use needs no verification), then log in once more."
            : "";
        var ageText = age is null ? "" : $" (logged in {age.Value.TotalDays:0.#} days ago)";
        return $"Google refused the refresh token in {storeDescription}: it was revoked or has expired{ageText} (invalid_grant). " +
               $"The file was kept as it is; run `q2google auth login` to replace it.{testing}";
    }
}
