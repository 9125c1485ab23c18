namespace Q2Google.Http;

/// <summary>
/// Turns a refused server certificate into a <see cref="TlsVerificationException"/> that names the host,
/// which only the request knows: the exception SocketsHttpHandler throws does not.
/// </summary>
internal sealed class TlsVerificationHandler(string? caBundle) : DelegatingHandler
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
    }
}
