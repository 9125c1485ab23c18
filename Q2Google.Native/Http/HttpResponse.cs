using System.Text;

namespace Q2Google.Http;

/// <summary>A complete response; the server adds <c>Content-Length</c>, <c>Date</c> and connection handling.</summary>
internal sealed class HttpResponse(int status, byte[]? body = null, string? contentType = null)
{
    public int Status { get; } = status;
    public byte[] Body { get; } = body ?? [];
    public string? ContentType { get; } = contentType;
    public List<KeyValuePair<string, string>> Headers { get; } = [];

    /// <summary>Close the connection after this response (for example when the request body was not read).</summary>
    public bool CloseConnection { get; set; }

    public HttpResponse WithHeader(string name, string value)
    {
        Headers.Add(new(name, value));
        return this;
    }

    public static HttpResponse Text(int status, string text, string contentType = "text/plain; charset=utf-8") =>
        new(status, Encoding.UTF8.GetBytes(text), contentType);

    public static HttpResponse Html(int status, string html) => Text(status, html, "text/html; charset=utf-8");

    public static HttpResponse Json(int status, byte[] json) => new(status, json, "application/json; charset=UTF-8");

    public static HttpResponse Redirect(string location) => new HttpResponse(302).WithHeader("Location", location);

    public static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        207 => "Multi-Status",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        _ => "Status",
    };
}
