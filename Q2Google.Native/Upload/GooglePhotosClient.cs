using Microsoft.Win32.SafeHandles;
using Q2Google.Api;
using Q2Google.Failures;

namespace Q2Google.Upload;

/// <summary>
/// Uploads files through the resumable protocol and turns upload tokens into media items. Bytes stream from
/// disk chunk by chunk; after any failure the client asks the server how far it got and continues from
/// there, so a dropped connection costs at most one chunk. A file gets an upload token only once the server
/// has confirmed every byte.
/// </summary>
public sealed class GooglePhotosClient
{
    /// <summary>Google takes at most 50 items per batchCreate.</summary>
    public const int LibraryBatchSize = 50;

    private readonly IGooglePhotoLibraryPort _port;
    private readonly RetryOptions _retry;

    /// <param name="port">The API (or a test double of it).</param>
    /// <param name="chunkGranularityMultiplier">Chunk size in units of the server's granularity.</param>
    /// <param name="retry">Backoff settings; the defaults follow Google's guidance.</param>
    public GooglePhotosClient(IGooglePhotoLibraryPort port, int chunkGranularityMultiplier = 4, RetryOptions? retry = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkGranularityMultiplier, 1);
        _port = port;
        ChunkGranularityMultiplier = chunkGranularityMultiplier;
        _retry = retry ?? new RetryOptions();
    }

    public int ChunkGranularityMultiplier { get; }

    /// <summary>The backoff settings this client retries with; callers reuse them for their own calls.</summary>
    public RetryOptions Retry => _retry;

    /// <summary>A chunk size in bytes that overrides the multiplier; rounded up to the server's granularity.</summary>
    public long? ChunkSize { get; init; }

    /// <summary>
    /// When set, a file's chunks after the first are sized to take about this long at the rate the last one went
    /// (<see cref="ChunkGrowth"/>), never smaller than the chunk size: on a fast line far from the server the round
    /// trip every chunk waits for would otherwise be a large share of the time. Null keeps every chunk the same size.
    /// </summary>
    public TimeSpan? ChunkDuration { get; init; }

    /// <summary>
    /// Files up to this size go up in one raw request (start + chunk would be two): quota is counted in requests,
    /// and resending a small file after a failure costs little. 0 (the default) always uses resumable sessions.
    /// </summary>
    public long RawUploadLimit { get; init; }

    /// <summary>Bytes per chunk for a session of this granularity.</summary>
    public long ChunkSizeFor(long granularity)
    {
        if (ChunkSize is not { } wanted) return granularity * ChunkGranularityMultiplier;
        var granules = Math.Max(1, (wanted + granularity - 1) / granularity);
        return granules * granularity;
    }

    /// <summary>Uploads a file's bytes; returns the final session, whose <c>UploadToken</c> is set.</summary>
    public async Task<ResumableUploadSession> UploadFileAsync(string fileName, string path, UploadFileOptions? options,
        CancellationToken cancellationToken = default)
    {
        options ??= new UploadFileOptions();
        var contentType = options.ContentType ?? MediaTypes.FromFileName(fileName) ?? "application/octet-stream";
        using var file = IO.RegularFile.OpenRead(path);
        var size = RandomAccess.GetLength(file);
        if (size > 0 && size <= RawUploadLimit && options.ResumeUrl is null)
        {
            return await UploadRawAsync(file, size, fileName, contentType, options, cancellationToken).ConfigureAwait(false);
        }

        var upload = new ResumableFileUpload(_port, _retry, ChunkSizeFor, ChunkDuration, file, fileName, contentType, options);
        return await upload.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task<ResumableUploadSession> UploadRawAsync(SafeFileHandle file, long size, string fileName, string contentType,
        UploadFileOptions options, CancellationToken cancellationToken)
    {
        var modified = File.GetLastWriteTimeUtc(file);
        var reported = 0L;
        // Nothing to resume: a raw upload is all or nothing, so after a transient failure it is simply sent again
        // (and what was counted as sent is taken back first).
        return Backoff.RetryAsync(_retry, async () =>
        {
            if (reported > 0) options.BytesSent?.Invoke(-reported);
            reported = 0;
            try
            {
                var session = await _port.UploadRawAsync(contentType, fileName, new FileChunk(file, 0, size, bytes =>
                {
                    reported += bytes;
                    options.BytesSent?.Invoke(bytes);
                }), cancellationToken).ConfigureAwait(false);
                if (session.UploadToken is null) throw new IOException("the raw upload was answered without an upload token");
                if (RandomAccess.GetLength(file) != size || File.GetLastWriteTimeUtc(file) != modified) throw new FileChangedException(FileSnapshot.ChangedReason);
                options.BytesConfirmed?.Invoke(size);
                return session;
            }
            catch (HttpRequestException e) when (e.InnerException is FileChangedException changed)
            {
                throw changed;
            }
            catch (Exception e) when (FailurePolicy.IsTransient(e) && options.Retrying is { } retrying)
            {
                retrying(e);
                throw;
            }
        }, cancellationToken);
    }

    /// <summary>Creates media items, at most <see cref="LibraryBatchSize"/> per call, serially; one response per slice, in order.</summary>
    public async Task<IReadOnlyList<MediaItemBatchCreateResponse>> CreateMediaItemsAsync(IReadOnlyList<NewMediaItem> items,
        string? albumId = null, CancellationToken cancellationToken = default)
    {
        var responses = new List<MediaItemBatchCreateResponse>((items.Count + LibraryBatchSize - 1) / LibraryBatchSize);
        foreach (var slice in items.Chunk(LibraryBatchSize))
        {
            var request = new MediaItemBatchCreateRequest { AlbumId = albumId, NewMediaItems = slice };
            responses.Add(await CreateWithRetryAsync(request, cancellationToken).ConfigureAwait(false));
        }

        return responses;
    }

    // Only answers that say "not processed" are retried: a lost answer to a processed batch must not spend the
    // (single-use) tokens twice. 500 is what Google sends for concurrent writes.
    private Task<MediaItemBatchCreateResponse> CreateWithRetryAsync(MediaItemBatchCreateRequest request, CancellationToken cancellationToken) =>
        Backoff.RetryAsync(_retry, () => _port.CreateMediaItemAsync(request, cancellationToken), cancellationToken,
            e => e is GooglePhotosApiException api && ((int)api.StatusCode is 500 or 503 || (api.IsRateLimited && !api.IsDailyQuotaExhausted)));
}
