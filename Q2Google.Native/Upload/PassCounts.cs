namespace Q2Google.Upload;

/// <summary>Counts a pass's outcomes as they are reported (from several stages at once), for its <see cref="PassResult"/>.</summary>
internal sealed class PassCounts(Action<FileOutcome> report)
{
    private int _uploaded, _already, _skipped, _failed, _planned;

    public void Report(FileOutcome outcome)
    {
        switch (outcome.Status)
        {
            case OutcomeStatus.Uploaded: Interlocked.Increment(ref _uploaded); break;
            case OutcomeStatus.AlreadyUploaded: Interlocked.Increment(ref _already); break;
            case OutcomeStatus.Failed: Interlocked.Increment(ref _failed); break;
            case OutcomeStatus.Planned: Interlocked.Increment(ref _planned); break;
            default: Interlocked.Increment(ref _skipped); break;
        }

        report(outcome);
    }

    public PassResult Result(UploadRun run, bool whole, bool dryRun, long requests, TimeSpan elapsed) => new()
    {
        Whole = whole, DryRun = dryRun, Seen = run.Seen, Uploaded = _uploaded, AlreadyUploaded = _already, Skipped = _skipped, Failed = _failed, Planned = _planned,
        Requests = requests, EstimatedRequests = run.EstimatedRequests, Elapsed = elapsed, StopReason = run.StopReason, StoppedByQuota = run.StoppedByQuota,
    };
}
