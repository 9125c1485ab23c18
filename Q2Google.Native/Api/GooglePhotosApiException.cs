using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Q2Google.Failures;

namespace Q2Google.Api;

/// <summary>
/// Any failed HTTP exchange with the Library API: the HTTP status, Google's canonical <c>status</c> name
/// (<c>RESOURCE_EXHAUSTED</c>, …) and Google's own message, plus what the upload protocol headers said.
/// The message never contains tokens.
/// </summary>
public sealed class GooglePhotosApiException : Exception, IFailure, IRetryAdvice
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

    /// <summary>
    /// Google refused items because the album holds its maximum (20,000). Google's wording is UNCONFIRMED: a 400
    /// that speaks of the album and of it being full, a limit, or exceeding one.
    /// </summary>
    public bool IsAlbumFull =>
        (int)StatusCode == 400 && GoogleMessage is { } message && message.Contains("album", StringComparison.OrdinalIgnoreCase)
        && (message.Contains("full", StringComparison.OrdinalIgnoreCase) || message.Contains("limit", StringComparison.OrdinalIgnoreCase)
            || message.Contains("exceed", StringComparison.OrdinalIgnoreCase));

    /// <summary>A 4xx that still reports the session <c>active</c>: Google's way of saying "wrong offset, ask me where I am".</summary>
    public bool RetryAtOnce => UploadStatus == UploadStatus.Active && (int)StatusCode is >= 400 and < 500 and not 429;

    /// <summary>
    /// What this answer means for the run (see <see cref="FailurePolicy"/>). A 401 reaches here only after the
    /// client refreshed the token and was refused again.
    /// </summary>
    public FailureKind Kind => this switch
    {
        { IsDailyQuotaExhausted: true } => FailureKind.Stop,
        { StatusCode: HttpStatusCode.Unauthorized } or { IsInsufficientScope: true } => FailureKind.Authentication,
        { IsAlbumFull: true } => FailureKind.AlbumFull,
        { IsServerError: true } or { StatusCode: HttpStatusCode.RequestTimeout } or { IsRateLimited: true } => FailureKind.Transient,
        { UploadStatus: UploadStatus.Active, StatusCode: not HttpStatusCode.NotFound and not HttpStatusCode.Forbidden } when (int)StatusCode is >= 400 and < 500
            => FailureKind.Transient,
        _ => FailureKind.File,
    };

    /// <summary>The one wording of "the daily quota is used up": a clean stop, and when it resets.</summary>
    public string DailyQuotaAdvice =>
        $"Google's daily quota for this OAuth client is used up ({GoogleMessage?.Trim()}); run again after midnight Pacific time and it continues";

    /// <summary>Canonical gRPC names for HTTP statuses (docs/protocol.md#status-codes), used when the body gave none.</summary>
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

    /// <summary>Google's error answers are small; a proxy's HTML page may not be: only this much is read.</summary>
    private const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>
    /// Reads a failed answer: Google's error body in either shape (docs/protocol.md#error-bodies), the upload
    /// protocol's headers and <c>Retry-After</c>.
    /// </summary>
    internal static async Task<GooglePhotosApiException> FromResponseAsync(HttpResponseMessage response, string operation,
        string scope, CancellationToken cancellationToken)
    {
        var body = await ReadBoundedAsync(response, cancellationToken).ConfigureAwait(false);
        string? status = null, message = null;
        try
        {
            var error = JsonSerializer.Deserialize(body, ApiJsonContext.Default.GoogleErrorResponse);
            status = error?.Error?.Status;
            message = error?.Error?.Message ?? error?.Message;
        }
        catch (JsonException)
        {
            message = Encoding.UTF8.GetString(body).Trim();
            if (message.Length > 300) message = message[..300] + "…";
        }

        var headers = ResumableUploadSession.FromHeaders(response.Headers);
        return new GooglePhotosApiException(response.StatusCode,
            status ?? GooglePhotosApiException.CanonicalStatus(response.StatusCode), message, operation)
        {
            UploadStatus = headers.Status,
            SizeReceived = headers.SizeReceived,
            RetryAfter = DelayOf(response.Headers.RetryAfter),
            RequiredScope = scope,
        };
    }

    private static TimeSpan? DelayOf(RetryConditionHeaderValue? value)
    {
        if (value?.Delta is { } delta) return delta;
        if (value?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxErrorBodyBytes];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return buffer[..total];
    }

    private static string Describe(HttpStatusCode code, string? status, string? message, string operation)
    {
        var what = string.IsNullOrWhiteSpace(message) ? "no message" : message.Trim();
        return $"{operation} failed: HTTP {(int)code}{(status is null ? "" : " " + status)}: {what}";
    }
}
