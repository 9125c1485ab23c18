using Q2Google.Failures;

namespace Q2Google.Auth;

/// <summary>The token store exists but cannot be used (corrupt, unreadable); the message names it and never quotes it.</summary>
public sealed class TokenStoreException(string message, Exception? inner = null) : Exception(message, inner), IFailure
{
    public FailureKind Kind => FailureKind.Authentication;
}
