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
    public Task<ResumableUploadSession> UploadFilePathAsync(string fileName, string path, CancellationToken cancellationToken = default) =>
        UploadFileAsync(fileName, path, null, cancellationToken);

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

        var upload = new FileUpload(this, file, fileName, contentType, options);
        return await upload.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<ResumableUploadSession> UploadRawAsync(SafeFileHandle file, long size, string fileName, string contentType,
        UploadFileOptions options, CancellationToken cancellationToken)
    {
        var modified = File.GetLastWriteTimeUtc(file);
        var backoff = new Backoff(_retry);
        while (true)
        {
            try
            {
                var session = await _port.UploadRawAsync(contentType, fileName, new FileChunk(file, 0, size, options.BytesSent), cancellationToken).ConfigureAwait(false);
                if (session.UploadToken is null) throw new IOException("the raw upload was answered without an upload token");
                if (RandomAccess.GetLength(file) != size || File.GetLastWriteTimeUtc(file) != modified)
                {
                    throw new FileChangedException(FileSnapshot.ChangedReason);
                }

                options.BytesConfirmed?.Invoke(size);
                return session;
            }
            catch (HttpRequestException e) when (e.InnerException is FileChangedException changed)
            {
                throw changed;
            }
            catch (Exception e) when (FailurePolicy.IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                // Nothing to resume: a raw upload is all or nothing, so it is simply sent again.
                await backoff.WaitAsync(e, cancellationToken).ConfigureAwait(false);
            }
        }
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

    /// <summary>Pairs each file name with its finished session's upload token and creates the media items.</summary>
    public Task<IReadOnlyList<MediaItemBatchCreateResponse>> CreateMediaItemsFromUploadSessionsAsync(
        IReadOnlyList<string> fileNames, IReadOnlyList<ResumableUploadSession> sessions, string? albumId = null,
        CancellationToken cancellationToken = default)
    {
        if (fileNames.Count != sessions.Count)
        {
            throw new ArgumentException($"{fileNames.Count} file names but {sessions.Count} upload sessions", nameof(sessions));
        }

        var items = new NewMediaItem[fileNames.Count];
        for (var i = 0; i < items.Length; i++)
        {
            var token = sessions[i].UploadToken
                        ?? throw new ArgumentException($"the upload of '{fileNames[i]}' has no upload token (it did not finish)", nameof(sessions));
            items[i] = new NewMediaItem { SimpleMediaItem = new SimpleMediaItem { UploadToken = token, FileName = fileNames[i] } };
        }

        return CreateMediaItemsAsync(items, albumId, cancellationToken);
    }

    private async Task<MediaItemBatchCreateResponse> CreateWithRetryAsync(MediaItemBatchCreateRequest request, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(_retry);
        while (true)
        {
            try
            {
                return await _port.CreateMediaItemAsync(request, cancellationToken).ConfigureAwait(false);
            }
            // Only answers that say "not processed" are retried: a lost answer to a processed batch must not
            // spend the (single-use) tokens twice. 500 is what Google sends for concurrent writes.
            catch (GooglePhotosApiException e) when ((int)e.StatusCode is 500 or 503 || (e.IsRateLimited && !e.IsDailyQuotaExhausted))
            {
                await backoff.WaitAsync(e, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The state machine of one file's upload; lives for one <see cref="UploadFileAsync"/> call.</summary>
    private sealed class FileUpload(GooglePhotosClient client, SafeFileHandle file, string fileName, string contentType, UploadFileOptions options)
    {
        private readonly long _size = RandomAccess.GetLength(file);
        private readonly DateTime _modified = File.GetLastWriteTimeUtc(file);
        private readonly Backoff _backoff = new(client._retry);
        private string? _url = options.ResumeUrl;
        private long _granularity = options.ResumeGranularity ?? 0;
        private long _offset;
        private bool _mustQuery = options.ResumeUrl is not null;
        private int _restarts;

        public async Task<ResumableUploadSession> RunAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                try
                {
                    if (_url is null)
                    {
                        await StartAsync(cancellationToken).ConfigureAwait(false);
                    }
                    else if (_mustQuery)
                    {
                        if (await ResyncAsync(cancellationToken).ConfigureAwait(false) is { } alreadyFinal) return alreadyFinal;
                        continue;
                    }

                    if (await SendNextChunkAsync(cancellationToken).ConfigureAwait(false) is { } final) return final;
                }
                catch (GooglePhotosApiException e) when (_url is not null && (e.StatusCode == System.Net.HttpStatusCode.NotFound || e.UploadStatus == UploadStatus.Cancelled))
                {
                    StartOver(e);
                }
                catch (UnexpectedSessionUrlException e) when (_url is not null)
                {
                    // A saved session of another endpoint, or a start answer pointing elsewhere: never contacted.
                    StartOver(e);
                }
                catch (Exception e) when (FailurePolicy.IsTransient(e) && !cancellationToken.IsCancellationRequested)
                {
                    await _backoff.WaitAsync(e, cancellationToken).ConfigureAwait(false);
                    // Whatever happened mid-request, we no longer know how much arrived: ask before resending.
                    _mustQuery = _url is not null;
                }
                catch (HttpRequestException e) when (e.InnerException is FileChangedException changed)
                {
                    throw changed;
                }
            }
        }

        private async Task StartAsync(CancellationToken cancellationToken)
        {
            var session = await client._port.InitUploadSessionAsync(contentType, _size, fileName, cancellationToken).ConfigureAwait(false);
            if (session.ChunkGranularity is not > 0)
            {
                throw new InvalidOperationException("the upload start response had no usable X-Goog-Upload-Chunk-Granularity header");
            }

            if (string.IsNullOrEmpty(session.UploadUrl))
            {
                throw new InvalidOperationException("the upload start response had no X-Goog-Upload-URL header");
            }

            if (session.Status is UploadStatus.Final or UploadStatus.Cancelled)
            {
                throw new InvalidOperationException($"the server rejected the new upload session (status {session.Status})");
            }

            if (options.SessionStarted is { } started) await started(session, cancellationToken).ConfigureAwait(false);
            _url = session.UploadUrl;
            _granularity = session.ChunkGranularity.Value;
            _offset = 0;
            _mustQuery = false;
        }

        /// <summary>Asks the session where it stands; returns the final session when it turns out to be complete.</summary>
        private async Task<ResumableUploadSession?> ResyncAsync(CancellationToken cancellationToken)
        {
            var status = await client._port.QueryUploadStatusAsync(_url!, cancellationToken).ConfigureAwait(false);
            _mustQuery = false;
            switch (status.Status)
            {
                case UploadStatus.Active when status.SizeReceived is { } received && received >= 0 && received <= _size:
                    if (status.ChunkGranularity is > 0) _granularity = status.ChunkGranularity.Value;
                    if (_granularity <= 0) throw new InvalidOperationException("the resumed session did not say its chunk granularity");
                    if (received > _offset) _backoff.Reset();
                    _offset = received;
                    options.BytesConfirmed?.Invoke(_offset);
                    return null;
                // Google's Objective-C client reads a final query's body as the result; use a token when one comes.
                case UploadStatus.Final when status.UploadToken is not null:
                    options.BytesConfirmed?.Invoke(_size);
                    return status with { UploadUrl = _url, ChunkGranularity = _granularity };
                default:
                    StartOver(null);
                    return null;
            }
        }

        /// <summary>Sends the chunk at the committed offset; returns the final session after the last one.</summary>
        private async Task<ResumableUploadSession?> SendNextChunkAsync(CancellationToken cancellationToken)
        {
            EnsureUnchanged();
            var chunkSize = client.ChunkSizeFor(_granularity);
            var remaining = _size - _offset;
            var length = Math.Min(chunkSize, remaining);
            var last = length == remaining;
            var command = last ? UploadCommand.UploadFinalize : UploadCommand.Upload;

            var answer = await client._port.UploadChunkAsync(_url!, command, _offset, new FileChunk(file, _offset, length, options.BytesSent), cancellationToken).ConfigureAwait(false);
            if (last)
            {
                if (answer.Status == UploadStatus.Final && answer.UploadToken is not null)
                {
                    options.BytesConfirmed?.Invoke(_size);
                    return answer with { UploadUrl = _url, ChunkGranularity = _granularity };
                }

                // A 200 without "final" (or without a body) means there is no token: find out what the server has.
                _mustQuery = true;
                await _backoff.WaitAsync(new IOException("the finalize request was answered without an upload token"), cancellationToken).ConfigureAwait(false);
                return null;
            }

            if (answer.Status == UploadStatus.Cancelled)
            {
                StartOver(null);
                return null;
            }

            _offset = answer.SizeReceived ?? _offset + length;
            _backoff.Reset();
            options.BytesConfirmed?.Invoke(_offset);
            return null;
        }

        private void EnsureUnchanged()
        {
            if (RandomAccess.GetLength(file) != _size || File.GetLastWriteTimeUtc(file) != _modified)
            {
                throw new FileChangedException(FileSnapshot.ChangedReason);
            }
        }

        private void StartOver(Exception? cause)
        {
            if (++_restarts > client._retry.MaxSessionRestarts)
            {
                throw new IOException($"the upload session was lost {_restarts} times; giving up on this file for now", cause);
            }

            _url = null;
            _offset = 0;
            _mustQuery = false;
        }
    }
}
