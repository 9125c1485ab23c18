using Q2Google.Failures;

namespace Q2Google.Http;

/// <summary>
/// A host that does not resolve or refuses every connection: tried again briefly (a home network's DNS can
/// hiccup), then the end of the run, with one line that names the host and what to check, instead of every
/// file failing after minutes of retries. Nothing is recorded as failed: no file was at fault.
/// </summary>
/// <param name="server">Host and port, as in the request.</param>
public sealed class HostUnreachableException(string server, string reason, Exception inner)
    : Exception($"cannot reach {server} ({reason}): check the network, the name server in /etc/resolv.conf, the proxy settings " +
                "(HTTPS_PROXY) and --api-url; nothing was recorded as failed, run the same command again once it is reachable", inner), IFailure
{
    public FailureKind Kind => FailureKind.Unreachable;
}
