using System.Security.Authentication;
using Q2Google.Failures;

namespace Q2Google.Http;

/// <summary>
/// HTTPS to a host failed because its certificate could not be verified. Nothing sent to that host can work
/// until the machine's trust is fixed, so this is not retried and stops the run with one clear line. It is
/// deliberately not an <see cref="HttpRequestException"/>, which the upload path treats as a passing network fault.
/// </summary>
public sealed class TlsVerificationException(string message, Exception inner) : Exception(message, inner), IFailure
{
    public FailureKind Kind => FailureKind.Run;

    /// <param name="host">The host whose certificate was refused; null when unknown.</param>
    /// <param name="failure">.NET's reason, e.g. "… errors in the certificate chain: PartialChain".</param>
    /// <param name="caBundle">The <c>--ca-bundle</c> in force, if any.</param>
    public static string Describe(string? host, AuthenticationException failure, string? caBundle)
    {
        var who = host is null ? "the server's" : $"{host}'s";
        var advice = caBundle is null
            ? "if this machine's CA bundle lives elsewhere use --ca-bundle FILE or SSL_CERT_FILE"
            : $"only the certificates in --ca-bundle {caBundle} are trusted";
        return $"TLS: cannot verify {who} certificate ({failure.Message.TrimEnd('.')}); {advice}";
    }

    /// <summary>Whether the TLS handshake failed on the certificate (rather than, say, on protocol versions).</summary>
    public static bool IsCertificateFailure(HttpRequestException e, out AuthenticationException failure)
    {
        failure = (e.InnerException as AuthenticationException)!;
        // .NET words every certificate refusal as "The remote certificate …"; other handshake failures do not mention it.
        return failure is not null && failure.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase);
    }
}
