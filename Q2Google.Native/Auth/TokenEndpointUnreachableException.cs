using Q2Google.Failures;

namespace Q2Google.Auth;

/// <summary>
/// The token endpoint did not answer (network, timeout, 5xx) after the few bounded attempts: no request of the
/// run can get a token, so the run ends with this one line instead of every file failing slowly.
/// </summary>
public sealed class TokenEndpointUnreachableException(string operation, Uri endpoint, Exception inner)
    : Exception($"{operation}: cannot reach the token endpoint {endpoint.Host} ({inner.Message.TrimEnd('.')}); " +
                "check the network, DNS and proxy settings; the saved login was not changed", inner), IFailure
{
    public FailureKind Kind => FailureKind.Run;
}
