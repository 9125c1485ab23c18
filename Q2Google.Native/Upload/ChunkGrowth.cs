namespace Q2Google.Upload;

/// <summary>
/// How long the next chunk of a resumable upload may be when chunks are sized by time
/// (<see cref="GooglePhotosClient.ChunkDuration"/>). Each request leaves the line idle for a round trip while the
/// server answers, and a session's chunks go one after another, so a chunk that takes a fraction of a second loses a
/// large share of a fast line to latency: 16 MiB at 20 MiB/s and 100 ms is 12%. Sized to take about the duration
/// asked for at the rate the last chunk went, the round trip is a few percent, and a chunk that fails costs about
/// that long to send again. Growth is at most fourfold a step, so one lucky measurement cannot make a chunk huge.
/// </summary>
internal static class ChunkGrowth
{
    /// <summary>Whatever the line: a chunk the server must hold until it is complete stays a size a failure can afford.</summary>
    public const long MaxChunk = 256L << 20;

    /// <summary>The next chunk's length: whole granules, at least <paramref name="minimum"/> (itself whole granules).</summary>
    public static long Next(long last, TimeSpan took, TimeSpan duration, long minimum, long granularity)
    {
        var ceiling = Math.Max(minimum, Math.Min(MaxChunk, last * 4));
        var wanted = took > TimeSpan.Zero ? last * (duration / took) : ceiling;
        var granules = (long)Math.Clamp(wanted, minimum, ceiling) / granularity;
        return Math.Max(minimum, granules * granularity);
    }
}
