namespace Q2Google.Api;

/// <summary>
/// The Library API calls the uploader needs, and the seam between the upload logic and HTTP. Every method
/// answers with what the server said, or throws <see cref="GooglePhotosApiException"/> (HTTP errors),
/// <see cref="TimeoutException"/> (the per-request timeout), <see cref="HttpRequestException"/> (the connection
/// failed) or <see cref="OperationCanceledException"/> (the caller cancelled).
/// </summary>
public interface IGooglePhotoLibraryPort
{
    /// <summary>Starts a resumable upload session (<c>X-Goog-Upload-Command: start</c>).</summary>
    Task<ResumableUploadSession> InitUploadSessionAsync(string contentType, long contentLength, string fileName,
        CancellationToken cancellationToken = default);

    /// <summary>Sends one chunk (possibly empty for a bare finalize) at <paramref name="offset"/> of the session.</summary>
    Task<ResumableUploadSession> UploadChunkAsync(string url, UploadCommand command, long offset, FileChunk content,
        CancellationToken cancellationToken = default);

    /// <summary>Asks the session where it stands: status and committed byte count.</summary>
    Task<ResumableUploadSession> QueryUploadStatusAsync(string url, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a whole file in one request (<c>X-Goog-Upload-Protocol: raw</c>): one request instead of two for a
    /// small file, at the price of resending it all after a failure. Returns a final session carrying the token.
    /// </summary>
    Task<ResumableUploadSession> UploadRawAsync(string contentType, string fileName, FileChunk content,
        CancellationToken cancellationToken = default);

    /// <summary>One <c>mediaItems:batchCreate</c> call (1-50 items).</summary>
    Task<MediaItemBatchCreateResponse> CreateMediaItemAsync(MediaItemBatchCreateRequest request,
        CancellationToken cancellationToken = default);
}
