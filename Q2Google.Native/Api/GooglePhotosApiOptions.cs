namespace Q2Google.Api;

public sealed record GooglePhotosApiOptions
{
    public static readonly Uri DefaultBaseUrl = new("https://photoslibrary.googleapis.com/v1/");

    /// <summary>Ends in <c>/v1/</c>; tests and the emulator point it at 127.0.0.1.</summary>
    public Uri BaseUrl { get; init; } = DefaultBaseUrl;

    /// <summary>How long one request may take, body included, before it counts as failed (and is retried).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>
    /// Normalises what a user types for <c>--api-url</c>: <c>http://127.0.0.1:8080</c> and
    /// <c>https://photoslibrary.googleapis.com/v1</c> both become a base URL ending in <c>/v1/</c>.
    /// </summary>
    public static Uri NormalizeBaseUrl(string url)
    {
        var uri = Http.EndpointRules.RequireSecure(url, "API URL");
        var path = uri.AbsolutePath.TrimEnd('/');
        if (!path.EndsWith("/v1", StringComparison.Ordinal)) path += "/v1";
        return new UriBuilder(uri) { Path = path + "/", Query = "" }.Uri;
    }
}
