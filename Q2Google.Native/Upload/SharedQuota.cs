using System.Globalization;
using Q2Google.Api;
using Q2Google.Failures;

namespace Q2Google.Upload;

/// <summary>
/// The daily quota of one OAuth client, shared by the jobs whose logins use it (docs/architecture.md#serving-a-job):
/// Google counts the 10,000 requests a day per client (Cloud project), not per account. When Google says the day's
/// quota is used up, every job of the client waits for the next quota day, not only the one that was told. With a
/// budget (<c>--max-requests</c>, per quota day), each job busy with a pass may use an equal share of what the day
/// allows; a job with nothing to do leaves its share to the others.
/// </summary>
/// <param name="daily">The run outlives a quota day (it waits for the next): the budget is given back each day. A
/// one-shot run's <c>--max-requests</c> is for the whole run, even one that crosses midnight in Los Angeles.</param>
internal sealed class SharedQuota(string client, long requestsPerDay, TimeProvider time, bool daily = true)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _usedByJob = new(StringComparer.Ordinal);
    private readonly HashSet<string> _busy = new(StringComparer.Ordinal);
    private DateOnly _day = QuotaDay.Of(time.GetUtcNow());
    private long _used;
    private DateTimeOffset? _closedUntil;

    /// <summary>The OAuth client (its id) whose quota this is, for people.</summary>
    public string Client { get; } = client;

    /// <summary>Requests allowed per quota day; 0: as many as Google allows.</summary>
    public long RequestsPerDay { get; } = requestsPerDay;

    public int Jobs { get { lock (_gate) return _usedByJob.Count; } }

    /// <summary>The gate a job's API client asks before each request.</summary>
    public IRequestGate For(string job)
    {
        lock (_gate) _usedByJob.TryAdd(job, 0);
        return new JobGate(this, job);
    }

    /// <summary>The job has a pass under way (it needs its share) or not (its share goes to the others).</summary>
    public void SetBusy(string job, bool busy)
    {
        lock (_gate)
        {
            if (busy) _busy.Add(job);
            else _busy.Remove(job);
        }
    }

    /// <summary>Google said the day's quota is used up: no job of this client sends anything until <paramref name="until"/>.</summary>
    public void Close(DateTimeOffset until)
    {
        lock (_gate)
        {
            if (_closedUntil is not { } closed || closed < until) _closedUntil = until;
        }
    }

    private void Take(string job)
    {
        lock (_gate)
        {
            Roll();
            if (_closedUntil is { } closed && time.GetUtcNow() < closed)
            {
                throw new RequestBudgetExhaustedException(string.Create(CultureInfo.InvariantCulture,
                    $"Google's daily quota of OAuth client {Client} is used up (another job was told so); it resets at {closed:yyyy-MM-dd HH:mm} UTC"));
            }

            if (RequestsPerDay > 0)
            {
                if (_used >= RequestsPerDay)
                {
                    throw _usedByJob.Count == 1
                        ? new RequestBudgetExhaustedException(RequestsPerDay)
                        : new RequestBudgetExhaustedException($"the day's budget of {RequestsPerDay} API requests (--max-requests), shared by the jobs of OAuth client {Client}, is used up");
                }

                // Shares are counted among the jobs with work to do, this one included.
                var sharing = Math.Max(1, _busy.Count + (_busy.Contains(job) ? 0 : 1));
                var share = (RequestsPerDay + sharing - 1) / sharing;
                if (_usedByJob[job] >= share)
                {
                    throw new RequestBudgetExhaustedException(
                        $"job {job} used its fair share ({share}) of the day's {RequestsPerDay} API requests (--max-requests), shared with {sharing - 1} other busy job(s) of OAuth client {Client}");
                }
            }

            _used++;
            _usedByJob[job]++;
        }
    }

    /// <summary>A new quota day gives every job its budget back.</summary>
    private void Roll()
    {
        var today = QuotaDay.Of(time.GetUtcNow());
        if (today == _day || !daily) return;
        _day = today;
        _used = 0;
        foreach (var job in _usedByJob.Keys) _usedByJob[job] = 0;
        if (_closedUntil is { } closed && time.GetUtcNow() >= closed) _closedUntil = null;
    }

    private sealed class JobGate(SharedQuota quota, string job) : IRequestGate
    {
        public void Take() => quota.Take(job);
    }
}
