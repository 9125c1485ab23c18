using System.Text.Json;
using Q2Google.Http;

namespace Q2Google.Emulator;

/// <summary>Error answers shaped like Google's (docs/protocol.md#error-bodies).</summary>
internal static class GoogleErrors
{
    public static HttpResponse Json(int code, string message, string? status = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteNumber("code", code);
            writer.WriteString("message", message);
            writer.WriteString("status", status ?? CanonicalStatus(code));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return HttpResponse.Json(code, buffer.ToArray());
    }

    /// <summary>Google's canonical status name for an HTTP status (docs/protocol.md#status-codes).</summary>
    public static string CanonicalStatus(int code) => code switch
    {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ABORTED",
        411 => "INVALID_ARGUMENT",
        413 => "OUT_OF_RANGE",
        429 => "RESOURCE_EXHAUSTED",
        499 => "CANCELLED",
        500 => "INTERNAL",
        501 => "UNIMPLEMENTED",
        503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ => "UNKNOWN",
    };

    /// <summary>The bare gRPC-style body the upload endpoint was seen sending for a 401.</summary>
    public static HttpResponse BareUpload(int code, int grpcCode, string message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("code", grpcCode);
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }

        return HttpResponse.Json(code, buffer.ToArray());
    }

    /// <summary>
    /// What Google's front end answers a POST that has neither <c>Content-Length</c> nor a chunked body: its own
    /// HTML error page, not any API's JSON, so a client must not expect JSON on every error.
    /// </summary>
    public static HttpResponse LengthRequired() => HttpResponse.Html(411, """
        <!DOCTYPE html>
        <html lang=en>
          <meta charset=utf-8>
          <meta name=viewport content="initial-scale=1, minimum-scale=1, width=device-width">
          <title>Error 411 (Length Required)!!1</title>
          <p><b>411.</b> <ins>That’s an error.</ins>
          <p>POST requests require a <code>Content-length</code> header.  <ins>That’s all we know.</ins>

        """);

    public static HttpResponse OAuth(int code, string error, string description)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("error", error);
            writer.WriteString("error_description", description);
            writer.WriteEndObject();
        }

        return HttpResponse.Json(code, buffer.ToArray());
    }

    public const string Unauthenticated =
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.";

    public const string InsufficientScopes = "Request had insufficient authentication scopes.";

    public const string DailyQuota =
        "Quota exceeded for quota metric 'All requests' and limit 'All requests per day' of service 'photoslibrary.googleapis.com' for consumer 'project_number:0'.";

    public const string MinuteQuota =
        "Quota exceeded for quota metric 'All requests' and limit 'All requests per minute per user' of service 'photoslibrary.googleapis.com' for consumer 'project_number:0'.";

    public const string InvalidUploadToken = "Request must contain a valid upload token.";
    public const string CreateFailed = "Failed: There was an error while trying to create this media item.";
}
