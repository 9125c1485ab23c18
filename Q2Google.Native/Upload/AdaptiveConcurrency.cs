namespace Q2Google.Upload;

/// <summary>
/// How many files may be sending bytes at once, decided from what the line gives rather than guessed
/// (docs/architecture.md#the-upload-pipeline). Against a far server each request waits a round trip, so more files in
/// flight fill the line; past what the line carries they only queue, and a server that answers 429 or 5xx (or drops
/// connections) is asking for fewer. The rule, over windows of at least <see cref="Limit"/> completed requests and
/// <see cref="MinWindow"/>:
/// <list type="bullet">
/// <item>only a window in which some file waited for a slot says anything about the limit;</item>
/// <item>slow start: while files wait, the limit doubles each window, as long as each doubling bought at least
/// <see cref="Gain"/> times the bytes per second; one that did not is undone, and slow start ends;</item>
/// <item>after that, one more slot is tried every <see cref="HoldWindows"/> windows, kept only if it pays the same way;</item>
/// <item>congestion halves the limit, once per window (the requests already in flight fail together), ends slow
/// start and starts a new window.</item>
/// </list>
/// Pure: events and their times in, the limit out, so each decision can be tested on its own. Not thread-safe.
/// </summary>
internal sealed class AdaptiveConcurrency
{
    /// <summary>A bigger limit must bring at least this much more throughput to be kept.</summary>
    public const double Gain = 1.10;

    /// <summary>Windows held between probes after slow start.</summary>
    public const int HoldWindows = 8;

    /// <summary>Shorter windows on a fast line would measure the timer, not the line.</summary>
    public static readonly TimeSpan MinWindow = TimeSpan.FromMilliseconds(200);

    private readonly int _max;
    private TimeSpan _windowStart;
    private long _bytes;
    private int _completions;
    private bool _waited;
    private bool _cutThisWindow;
    private bool _slowStart = true;
    private int _heldWindows;

    /// <summary>While a bigger limit is on trial: the limit before it and the bytes per second it gave.</summary>
    private (int Limit, double Rate)? _trial;

    public AdaptiveConcurrency(int start, int max, TimeSpan now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        _max = max;
        Limit = Math.Clamp(start, 1, max);
        _windowStart = now;
    }

    public int Limit { get; private set; }

    /// <summary>A file had to wait for a slot: the limit, not the supply of files, is what holds the run back.</summary>
    public void Waited() => _waited = true;

    /// <summary>The server confirmed <paramref name="bytes"/> (a raw upload, or a chunk). Returns the limit from now on.</summary>
    public int Completed(long bytes, TimeSpan now)
    {
        _bytes += Math.Max(0, bytes);
        _completions++;
        var elapsed = now - _windowStart;
        if (_completions < Limit || elapsed < MinWindow) return Limit;

        var rate = _bytes / elapsed.TotalSeconds;
        var waited = _waited;
        StartWindow(now);
        if (!waited) return Limit;

        if (_trial is { } trial)
        {
            _trial = null;
            if (rate < trial.Rate * Gain)
            {
                Limit = trial.Limit;
                _slowStart = false;
                _heldWindows = 0;
                return Limit;
            }
        }

        if (_slowStart || ++_heldWindows >= HoldWindows) Grow(rate);
        return Limit;
    }

    /// <summary>A 429, a 5xx or a dropped connection. Returns the limit from now on.</summary>
    public int Congested(TimeSpan now)
    {
        // The first failure stands for the others in flight with it: they were sent at the old limit.
        if (_cutThisWindow) return Limit;
        Limit = Math.Max(1, Limit / 2);
        _slowStart = false;
        _trial = null;
        _heldWindows = 0;
        StartWindow(now);
        _cutThisWindow = true;
        return Limit;
    }

    private void Grow(double rate)
    {
        _heldWindows = 0;
        var next = Math.Min(_max, _slowStart ? Limit * 2 : Limit + 1);
        if (next == Limit)
        {
            _slowStart = false;
            return;
        }

        _trial = (Limit, rate);
        Limit = next;
    }

    private void StartWindow(TimeSpan now)
    {
        _windowStart = now;
        _bytes = 0;
        _completions = 0;
        _waited = false;
        _cutThisWindow = false;
    }
}
