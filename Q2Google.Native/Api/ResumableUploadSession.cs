using System.Globalization;
using System.Net.Http.Headers;

namespace Q2Google.Api;

/// <summary>
/// What one response of the resumable protocol told us: the session URL and granularity (from <c>start</c>),
/// the session status and committed byte count (from chunks and <c>query</c>), and, after <c>finalize</c>,
/// the upload token, which Google sends as the raw response body.
/// </summary>
public sealed record ResumableUploadSession
{
    public string? UploadUrl { get; init; }
    public long? ChunkGranularity { get; init; }
    public UploadStatus Status { get; init; }
    public long? SizeReceived { get; init; }

    /// <summary>Google's diagnostic id; informational only.</summary>
    public string? UploaderId { get; init; }

    public DateTimeOffset? Date { get; init; }

    /// <summary>The finalize body, trimmed; null when the response carried none. Opaque and secret-ish: never log it whole.</summary>
    public string? UploadToken { get; init; }

    public static ResumableUploadSession FromHeaders(HttpResponseHeaders headers, string? body = null)
    {
        var token = body?.Trim();
        return new ResumableUploadSession
        {
            UploadUrl = First(headers, UploadHeaders.Url),
            ChunkGranularity = ParseLong(First(headers, UploadHeaders.ChunkGranularity)),
            Status = UploadHeaders.ParseStatus(First(headers, UploadHeaders.Status)),
            SizeReceived = ParseLong(First(headers, UploadHeaders.SizeReceived)),
            UploaderId = First(headers, UploadHeaders.UploaderId),
            Date = ParseDate(First(headers, "Date")),
            UploadToken = string.IsNullOrEmpty(token) ? null : token,
        };
    }

    internal static string? First(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    internal static long? ParseLong(string? value) =>
        long.TryParse(value?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>RFC 1123 (<c>Sun, 06 Nov 1994 08:49:37 GMT</c>), invariant culture.</summary>
    internal static DateTimeOffset? ParseDate(string? value) =>
        DateTimeOffset.TryParseExact(value?.Trim(), "r", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date) ? date : null;
}
