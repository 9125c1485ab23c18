using Q2Google.Failures;

namespace Q2Google.Auth;

/// <summary>Google's OAuth endpoint refused a request: <c>invalid_grant</c>, <c>invalid_client</c>, ….</summary>
public sealed class OAuthException(string error, string? description, int httpStatus, string operation)
    : Exception($"{operation} refused by the token endpoint: {error}{(string.IsNullOrWhiteSpace(description) ? "" : $" ({description.Trim()})")}"), IFailure
{
    /// <summary>A wrong client id or secret is a configuration problem; anything else means logging in again.</summary>
    public FailureKind Kind => IsClientConfiguration ? FailureKind.Configuration : FailureKind.Authentication;

    public string Error { get; } = error;
    public string? Description { get; } = description;
    public int HttpStatus { get; } = httpStatus;

    /// <summary>The refresh token is dead (revoked, expired, or the 7-day "Testing" limit): log in again.</summary>
    public bool IsInvalidGrant => Error == "invalid_grant";

    /// <summary>The client id or secret is wrong: a configuration problem, not a login problem.</summary>
    public bool IsClientConfiguration => Error is "invalid_client" or "unauthorized_client" or "unsupported_grant_type" or "invalid_scope";
}
