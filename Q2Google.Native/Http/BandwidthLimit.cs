namespace Q2Google.Http;

/// <summary>
/// A bytes-per-second cap that every request body read through it shares, as the uploads of one home share its
/// uplink. It slows the reading, not the answer: a body is handed out at most one slice ahead of what the rate
/// allows, so a faster client fills the kernel's socket buffers and is then held back by TCP flow control, as on
/// a slow link. Readers are served in the order they ask (a virtual clock of when the link is free again), so
/// parallel bodies split the rate between them. Thread-safe.
/// </summary>
internal sealed class BandwidthLimit
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;

    /// <summary>How late a reader may come back without the link's time being lost: timers wake a little late.</summary>
    private readonly long _tolerance;

    /// <summary>When (in <see cref="TimeProvider"/> timestamps) the link has carried everything handed out so far.</summary>
    private long _free;

    public BandwidthLimit(long bytesPerSecond, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytesPerSecond, 1);
        BytesPerSecond = bytesPerSecond;
        _time = time ?? TimeProvider.System;
        _tolerance = _time.TimestampFrequency / 50;
        // About 10 ms of the rate: fine enough that parallel bodies interleave, coarse enough that the ~1 ms timer
        // granularity is small beside each wait.
        SliceBytes = (int)Math.Clamp(bytesPerSecond / 100, 4096, 256 * 1024);
    }

    public long BytesPerSecond { get; }

    /// <summary>The most a reader should take off the connection before paying for it.</summary>
    public int SliceBytes { get; }

    /// <summary>Waits until the link would have carried <paramref name="bytes"/> more, behind everything handed out before.</summary>
    public async ValueTask PayAsync(int bytes, CancellationToken cancellationToken)
    {
        long wait;
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var start = Math.Max(_free, now - _tolerance);
            _free = start + (long)((double)bytes * _time.TimestampFrequency / BytesPerSecond);
            wait = _free - now;
        }

        if (wait > 0) await Task.Delay(TimeSpan.FromSeconds((double)wait / _time.TimestampFrequency), _time, cancellationToken).ConfigureAwait(false);
    }
}
