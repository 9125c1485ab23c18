using System.Net.Sockets;

namespace Q2Google.Http;

/// <summary>
/// Names the host in the two transport failures that no retry of one file can cure: a refused server
/// certificate (<see cref="TlsVerificationException"/>), and a host that does not resolve or refuses every
/// connection (<see cref="HostUnreachableException"/>). Only the request knows the host: the exception
/// SocketsHttpHandler throws does not.
/// </summary>
internal sealed class TransportFailureHandler(string? caBundle) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (TlsVerificationException.IsCertificateFailure(e, out var failure))
        {
            throw new TlsVerificationException(TlsVerificationException.Describe(request.RequestUri?.Host, failure, caBundle), e);
        }
        catch (HttpRequestException e) when (Unreachable(e) is { } reason)
        {
            throw new HostUnreachableException(request.RequestUri?.Authority ?? "the server", reason, e);
        }
    }

    /// <summary>Why the host cannot be reached at all, or null for a failure another attempt may cure.</summary>
    private static string? Unreachable(HttpRequestException e) => e.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => $"its name does not resolve: {(e.InnerException as SocketException)?.Message ?? e.Message}",
        HttpRequestError.ConnectionError when e.InnerException is SocketException
        {
            SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable,
        } socket => socket.SocketErrorCode == SocketError.ConnectionRefused
            ? "nothing accepts connections there: connection refused"
            : socket.Message.TrimEnd('.'),
        _ => null,
    };
}
