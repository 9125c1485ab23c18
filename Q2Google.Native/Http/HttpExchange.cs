namespace Q2Google.Http;

/// <summary>One request as a handler sees it: the head, the body stream, and the base URL it came in on.</summary>
internal sealed class HttpExchange(HttpRequestHead request, RequestBody body, string scheme, string host)
{
    public HttpRequestHead Request { get; } = request;
    public RequestBody Body { get; } = body;

    /// <summary>The base URL this request came in on, e.g. <c>http://127.0.0.1:8080/</c>.</summary>
    public string BaseUrl { get; } = $"{scheme}://{host}/";
}
