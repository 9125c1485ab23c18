using System.Net;

namespace Q2Google.Api;

/// <summary>
/// Any failed HTTP exchange with the Library API: the HTTP status, Google's canonical <c>status</c> name
/// (<c>RESOURCE_EXHAUSTED</c>, …) and Google's own message, plus what the upload protocol headers said.
/// The message never contains tokens.
/// </summary>
public sealed class GooglePhotosApiException : Exception
{
    public GooglePhotosApiException(HttpStatusCode statusCode, string? googleStatus, string? googleMessage, string operation)
        : base(Describe(statusCode, googleStatus, googleMessage, operation))
    {
        StatusCode = statusCode;
        GoogleStatus = googleStatus;
        GoogleMessage = googleMessage;
        Operation = operation;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>Google's canonical status name, or one derived from the HTTP status when the body had none.</summary>
    public string? GoogleStatus { get; }

    public string? GoogleMessage { get; }

    /// <summary>What we were doing, for the message: <c>upload start</c>, <c>batchCreate</c>, ….</summary>
    public string Operation { get; }

    /// <summary>The <c>X-Goog-Upload-Status</c> of an upload-endpoint error; <c>active</c> means "query and resume".</summary>
    public UploadStatus UploadStatus { get; init; }

    public long? SizeReceived { get; init; }

    /// <summary>The scope the failed call needs, so a 403 can tell the user which one is missing.</summary>
    public string? RequiredScope { get; init; }

    /// <summary>The server's <c>Retry-After</c>, as a delay from now.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public bool IsRateLimited => StatusCode == HttpStatusCode.TooManyRequests;

    public bool IsServerError => (int)StatusCode >= 500;

    public bool IsInsufficientScope =>
        StatusCode == HttpStatusCode.Forbidden &&
        (GoogleMessage?.Contains("insufficient authentication scopes", StringComparison.OrdinalIgnoreCase) ?? false);

    /// <summary>
    /// Google's daily project quota, as opposed to a per-minute limit: only the daily one should stop a run.
    /// Google words it "…per day…" in the message (the details' <c>quota_limit</c> ends in <c>PerDay</c>).
    /// </summary>
    public bool IsDailyQuotaExhausted =>
        IsRateLimited &&
        (GoogleMessage?.Contains("per day", StringComparison.OrdinalIgnoreCase) ?? false);

    /// <summary>Canonical gRPC names for HTTP statuses (PROTOCOL.md section 7), used when the body gave none.</summary>
    public static string? CanonicalStatus(HttpStatusCode code) => (int)code switch
    {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ABORTED",
        413 => "OUT_OF_RANGE",
        429 => "RESOURCE_EXHAUSTED",
        499 => "CANCELLED",
        500 => "INTERNAL",
        501 => "UNIMPLEMENTED",
        503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ => null,
    };

    private static string Describe(HttpStatusCode code, string? status, string? message, string operation)
    {
        var what = string.IsNullOrWhiteSpace(message) ? "no message" : message.Trim();
        return $"{operation} failed: HTTP {(int)code}{(status is null ? "" : " " + status)}: {what}";
    }
}
