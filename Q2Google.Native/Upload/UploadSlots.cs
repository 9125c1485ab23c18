using Q2Google.Api;
using Q2Google.Failures;

namespace Q2Google.Upload;

/// <summary>
/// The slots the byte uploaders take, one per file while its bytes go up: as many as <see cref="AdaptiveConcurrency"/>
/// allows at the moment, never more than <c>--concurrency</c>. A limit that goes down takes slots back as their
/// files finish; nothing in flight is interrupted. Thread-safe.
/// </summary>
internal sealed class UploadSlots : IDisposable
{
    private readonly object _gate = new();
    private readonly SemaphoreSlim _free;
    private readonly AdaptiveConcurrency _rule;
    private readonly TimeProvider _time;
    private readonly long _started;

    /// <summary>Slots to keep when they are given back, because the limit went down while they were taken.</summary>
    private int _owed;

    public UploadSlots(int start, int max, TimeProvider time)
    {
        _time = time;
        _started = time.GetTimestamp();
        _rule = new AdaptiveConcurrency(start, max, TimeSpan.Zero);
        _free = new SemaphoreSlim(_rule.Limit, max);
    }

    public int Limit
    {
        get { lock (_gate) return _rule.Limit; }
    }

    public async Task AcquireAsync(CancellationToken cancellationToken)
    {
        if (_free.Wait(0)) return;
        lock (_gate) _rule.Waited();
        await _free.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Release()
    {
        lock (_gate)
        {
            if (_owed > 0) _owed--;
            else _free.Release();
        }
    }

    /// <summary>The server confirmed more of a file: a raw upload or a chunk.</summary>
    public void Confirmed(long bytes)
    {
        lock (_gate)
        {
            var before = _rule.Limit;
            Apply(before, _rule.Completed(bytes, _time.GetElapsedTime(_started)));
        }
    }

    /// <summary>A request failed and will be tried again; a 429, a 5xx or a dropped connection means the line or the server has had enough.</summary>
    public void Failed(Exception failure)
    {
        var congestion = failure is GooglePhotosApiException api ? api.IsRateLimited || api.IsServerError : FailurePolicy.Classify(failure) == FailureKind.Transient;
        if (!congestion) return;
        lock (_gate)
        {
            var before = _rule.Limit;
            Apply(before, _rule.Congested(_time.GetElapsedTime(_started)));
        }
    }

    private void Apply(int before, int after)
    {
        if (after > before)
        {
            var repaid = Math.Min(_owed, after - before);
            _owed -= repaid;
            if (after - before - repaid > 0) _free.Release(after - before - repaid);
            return;
        }

        for (var take = before - after; take > 0; take--)
        {
            if (!_free.Wait(0)) _owed++;
        }
    }

    public void Dispose() => _free.Dispose();
}
