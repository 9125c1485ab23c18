namespace Q2Google.Auth;

/// <summary>
/// We cannot act for the user until they log in again: no token, a revoked or expired refresh token, or a
/// missing scope. The CLI turns it into exit code 3; the message says what to run.
/// </summary>
public sealed class AuthenticationRequiredException(string message, Exception? inner = null) : Exception(message, inner);
