namespace Q2Google.Upload;

/// <summary>Counts a pass's outcomes as they are reported (from several stages at once), for its <see cref="PassResult"/>.</summary>
internal sealed class PassCounts(Action<FileOutcome> report)
{
    private int _uploaded, _already, _skipped, _failed, _planned;
    private long _bytes;

    public void Report(FileOutcome outcome)
    {
        switch (outcome.Status)
        {
            case OutcomeStatus.Uploaded:
                Interlocked.Increment(ref _uploaded);
                Interlocked.Add(ref _bytes, outcome.Bytes ?? 0);
                break;
            case OutcomeStatus.AlreadyUploaded: Interlocked.Increment(ref _already); break;
            case OutcomeStatus.Failed: Interlocked.Increment(ref _failed); break;
            case OutcomeStatus.Planned:
                Interlocked.Increment(ref _planned);
                Interlocked.Add(ref _bytes, outcome.Bytes ?? 0);
                break;
            default: Interlocked.Increment(ref _skipped); break;
        }

        report(outcome);
    }

    public PassResult Result(UploadRun run, bool whole, bool dryRun, long requests, TimeSpan elapsed) => new()
    {
        Whole = whole, DryRun = dryRun, Seen = run.Seen, Uploaded = _uploaded, AlreadyUploaded = _already, Skipped = _skipped, Failed = _failed, Planned = _planned, Bytes = _bytes,
        Requests = requests, EstimatedRequests = run.EstimatedRequests, Elapsed = elapsed, StopReason = run.StopReason, StoppedByQuota = run.StoppedByQuota,
    };
}
