using Q2Google.Failures;

namespace Q2Google.Auth;

/// <summary>
/// We cannot act for the user until they log in again: no token, a revoked or expired refresh token, or a
/// missing scope. The CLI turns it into exit code 3; the message says what to run.
/// </summary>
public sealed class AuthenticationRequiredException(string message, Exception? inner = null) : Exception(message, inner), IFailure
{
    public FailureKind Kind => FailureKind.Authentication;

    /// <summary>The one wording of "there is no login", wherever it is found missing.</summary>
    public static AuthenticationRequiredException NotLoggedIn(string storeDescription) => new(
        $"not logged in (no token in {storeDescription}): run `q2google auth login`, or set {InMemoryTokenStore.EnvironmentVariable} in CI");
}
