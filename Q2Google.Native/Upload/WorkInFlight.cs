namespace Q2Google.Upload;

/// <summary>
/// Counts the files between the stages, so the run knows when nothing can arrive any more: bytes queued for or
/// being sent, items queued for or held by the batch creator, and copies waiting for their first file. Work is
/// always counted into its next stage before it is counted out of the last, so the counts never pass through
/// zero while something is still on its way. Thread-safe.
/// </summary>
internal sealed class WorkInFlight(Action bytesDrained, Action allDone)
{
    private int _sending;
    private int _creating;
    private int _waiting;
    private int _preparing = 1;
    private int _finished;

    public void StartSending() => Interlocked.Increment(ref _sending);

    public void StartCreating() => Interlocked.Increment(ref _creating);

    public void StartWaiting() => Interlocked.Increment(ref _waiting);

    public void DoneSending()
    {
        Interlocked.Decrement(ref _sending);
        Settle(flush: true);
    }

    public void DoneCreating()
    {
        Interlocked.Decrement(ref _creating);
        Settle(flush: false);
    }

    public void DoneWaiting()
    {
        Interlocked.Decrement(ref _waiting);
        Settle(flush: true);
    }

    /// <summary>Every file has been prepared: from now on only the later stages can produce work.</summary>
    public void DonePreparing()
    {
        Interlocked.Decrement(ref _preparing);
        Settle(flush: true);
    }

    private void Settle(bool flush)
    {
        if (Volatile.Read(ref _preparing) > 0 || Volatile.Read(ref _sending) > 0) return;
        // No bytes can be on their way any more: the creator should not wait for full batches. Said when the
        // last bytes (or the last copy waiting for them) arrive, not after every item the creator finishes.
        if (flush) bytesDrained();
        if (Volatile.Read(ref _creating) > 0 || Volatile.Read(ref _waiting) > 0) return;
        if (Interlocked.Exchange(ref _finished, 1) == 0) allDone();
    }
}
