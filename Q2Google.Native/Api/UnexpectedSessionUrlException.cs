using Q2Google.Failures;

namespace Q2Google.Api;

/// <summary>
/// A resumable session URL that does not live on the API endpoint in use: it is never sent a token. The
/// uploader starts a new session instead.
/// </summary>
public sealed class UnexpectedSessionUrlException(string message) : Exception(message), IFailure
{
    public FailureKind Kind => FailureKind.File;
}
