using Microsoft.Win32.SafeHandles;
using Q2Google.Api;
using Q2Google.Failures;

namespace Q2Google.Upload;

/// <summary>
/// The resumable protocol for one file (docs/protocol.md#query-and-resume), as a state machine: start a session
/// (or take a saved one), send chunks, and after any failure ask the server how far it got and go on from there.
/// Lives for one <see cref="GooglePhotosClient.UploadFileAsync"/> call.
/// </summary>
internal sealed class ResumableFileUpload(IGooglePhotoLibraryPort port, RetryOptions retry, Func<long, long> chunkSizeFor, TimeSpan? chunkDuration,
SafeFileHandle file, string fileName, string contentType, UploadFileOptions options)
{
    private readonly long _size = RandomAccess.GetLength(file);
    private readonly DateTime _modified = File.GetLastWriteTimeUtc(file);
    private readonly Backoff _backoff = new(retry);
    private string? _url = options.ResumeUrl;
    private long _granularity = options.ResumeGranularity ?? 0;
    private long _offset;

    /// <summary>Bytes reported as sent for this file; set back to the server's count after a resync, so a resent chunk is not counted twice.</summary>
    private long _reported;
    private bool _mustQuery = options.ResumeUrl is not null;
    private int _restarts;

    /// <summary>The next chunk's length once chunks are sized by time (<see cref="ChunkGrowth"/>); 0 before that.</summary>
    private long _grownChunk;

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
                options.Retrying?.Invoke(e);
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
        var session = await port.InitUploadSessionAsync(contentType, _size, fileName, cancellationToken).ConfigureAwait(false);
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
        var status = await port.QueryUploadStatusAsync(_url!, cancellationToken).ConfigureAwait(false);
        _mustQuery = false;
        switch (status.Status)
        {
            case UploadStatus.Active when status.SizeReceived is { } received && received >= 0 && received <= _size:
                if (status.ChunkGranularity is > 0) _granularity = status.ChunkGranularity.Value;
                if (_granularity <= 0) throw new InvalidOperationException("the resumed session did not say its chunk granularity");
                if (received > _offset) _backoff.Reset();
                _offset = received;
                Settle(received);
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
        var minimum = chunkSizeFor(_granularity);
        var chunkSize = Math.Max(minimum, _grownChunk / _granularity * _granularity);
        var remaining = _size - _offset;
        var length = Math.Min(chunkSize, remaining);
        var last = length == remaining;
        var command = last ? UploadCommand.UploadFinalize : UploadCommand.Upload;

        var started = retry.Time.GetTimestamp();
        var answer = await port.UploadChunkAsync(_url!, command, _offset, new FileChunk(file, _offset, length, Sent), cancellationToken).ConfigureAwait(false);
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

        if (chunkDuration is { } duration) _grownChunk = ChunkGrowth.Next(length, retry.Time.GetElapsedTime(started), duration, minimum, _granularity);
        _offset = answer.SizeReceived ?? _offset + length;
        Settle(_offset);
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
        if (++_restarts > retry.MaxSessionRestarts)
        {
            throw new IOException($"the upload session was lost {_restarts} times; giving up on this file for now", cause);
        }

        _url = null;
        _offset = 0;
        _mustQuery = false;
        Settle(0);
    }

    private void Sent(long bytes)
    {
        _reported += bytes;
        options.BytesSent?.Invoke(bytes);
    }

    /// <summary>What the server has is what counts as sent: bytes that will go again are taken back.</summary>
    private void Settle(long confirmed)
    {
        if (_reported == confirmed) return;
        options.BytesSent?.Invoke(confirmed - _reported);
        _reported = confirmed;
    }
}
