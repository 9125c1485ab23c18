using Q2Google.Failures;
using Q2Google.Http;

namespace Q2Google.Http;

/// <summary>Where we agree to send tokens: HTTPS anywhere, plain HTTP only to this machine (the emulator).</summary>
internal static class EndpointRules
{
    public static Uri RequireSecure(string? url, string what)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ConfigurationException($"{what} '{url}' is not an http(s) URL");
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
        {
            throw new ConfigurationException($"{what} '{url}' must use https:// (plain http:// is accepted only for 127.0.0.1, ::1 or localhost)");
        }

        return uri;
    }

    /// <summary>
    /// The scheme, host and port of a URL (<c>https://photoslibrary.googleapis.com:443</c>): what names an API
    /// endpoint in a library's identity, and what a resumable session URL must share with the API it belongs to.
    /// </summary>
    public static string Origin(Uri uri) => $"{uri.Scheme}://{uri.IdnHost.ToLowerInvariant()}:{uri.Port}";

    public static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || uri.Host is "127.0.0.1" or "[::1]" or "::1" || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase);
}
