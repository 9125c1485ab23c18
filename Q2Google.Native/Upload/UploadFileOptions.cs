using Q2Google.Api;

namespace Q2Google.Upload;

/// <summary>Per-file knobs of <see cref="GooglePhotosClient.UploadFileAsync"/>.</summary>
public sealed record UploadFileOptions
{
    /// <summary>What <c>X-Goog-Upload-Content-Type</c> announces; by default derived from the file name.</summary>
    public string? ContentType { get; init; }

    /// <summary>A session URL saved by an earlier run: the upload continues from the byte the server confirms.</summary>
    public string? ResumeUrl { get; init; }

    /// <summary>The granularity that came with <see cref="ResumeUrl"/>; a query may refresh it.</summary>
    public long? ResumeGranularity { get; init; }

    /// <summary>Called once a new session exists and before any byte is sent, so it can be persisted.</summary>
    public Func<ResumableUploadSession, CancellationToken, ValueTask>? SessionStarted { get; init; }

    /// <summary>Called whenever the server confirms more bytes (the committed offset).</summary>
    public Action<long>? BytesConfirmed { get; init; }

    /// <summary>Told of every block of bytes put on the wire (resends included), for live progress.</summary>
    public Action<long>? BytesSent { get; init; }

    /// <summary>Told of every failure that is about to be tried again (a 429, a 5xx, a dropped connection…), so the caller can ease off.</summary>
    public Action<Exception>? Retrying { get; init; }
}
