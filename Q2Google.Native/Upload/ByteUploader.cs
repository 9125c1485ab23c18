using System.Threading.Channels;
using Q2Google.Failures;

namespace Q2Google.Upload;

/// <summary>
/// The second stage, <c>--concurrency</c> of them, as many sending at once as <see cref="UploadSlots"/> allows:
/// sends one file's bytes through <see cref="GooglePhotosClient"/> (resuming the session an earlier run saved when
/// it is fresh and on this endpoint), journals the session, every confirmed offset and the upload token as they
/// happen, and hands the token to the batch creator. What the server confirms and what fails on the way is told to
/// the slots, which size the limit by it. A file that changes on the way is never recorded under the content it had
/// before.
/// </summary>
internal sealed class ByteUploader(UploadContext run, UploadSlots slots)
{
    public async Task RunAsync(ChannelReader<SendBytes> input, ChannelWriter<CreatorWork> creator, CancellationToken cancellationToken)
    {
        await foreach (var job in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                // Taken with a file in hand: a file waiting here is how the slots learn that the limit holds the run back.
                await slots.AcquireAsync(cancellationToken).ConfigureAwait(false);
                (PreparedFile File, string Token)? sent;
                try
                {
                    sent = await SendAsync(job, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    slots.Release();
                }

                if (sent is not var (file, token)) continue;
                if (job.File.Hashing is not null && run.Journal.Content(file.Hash) is { IsCreated: true } content && !run.Options.Force)
                {
                    // Hashed while sending: the content turned out to be known after all (another copy, uploaded earlier).
                    run.Journal.RecordDiscarded(file.Hash, "content already in the library");
                    run.AlreadyInLibrary(file, content, creator);
                    continue;
                }

                run.Journal.RecordToken(file.Hash, token);
                run.Work.StartCreating();
                await creator.WriteAsync(new CreateItem(file, token, TokenFromEarlierRun: false), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                run.Work.DoneSending();
            }
        }
    }

    /// <summary>Sends the bytes; returns the file (its hash settled) and its upload token, or null after reporting why not.</summary>
    private async Task<(PreparedFile File, string Token)?> SendAsync(SendBytes job, CancellationToken cancellationToken)
    {
        var file = job.File;
        var known = job.Known;
        run.Progress.Started(file.Display);
        var fresh = known?.SessionUrl is not null && known.SessionAt > run.Time.GetUtcNow() - run.Options.ReuseWithin && run.Api.OwnsSessionUrl(known.SessionUrl);
        // A file still being hashed has no journal key yet: its session is written down once the hash exists.
        // A kill before that costs only a fresh start of this one file.
        var journaled = file.Hashing is null;
        string? sessionUrl = null;
        long granularity = 0;
        // A resumed session's first confirmation is what an earlier run sent: not this line's throughput.
        long? confirmed = fresh ? null : 0;
        void JournalSessionOnceHashed()
        {
            if (journaled || sessionUrl is null || file.Hashing is not { IsCompletedSuccessfully: true } hashing) return;
            run.Journal.RecordPath(file.Snapshot.FullPath, file.Size, file.Snapshot.ModifiedTicks, hashing.Result, file.Quick);
            run.Journal.RecordSession(hashing.Result, sessionUrl, granularity);
            journaled = true;
        }

        try
        {
            if (file.Snapshot.HasChanged())
            {
                run.Finish(FileOutcome.Failed(file.Display, FileSnapshot.ChangedReason), file);
                return null;
            }

            var session = await run.Client.UploadFileAsync(file.Name, file.Snapshot.FullPath, new UploadFileOptions
            {
                ContentType = file.MimeType,
                ResumeUrl = fresh ? known!.SessionUrl : null,
                ResumeGranularity = fresh ? known!.Granularity : null,
                SessionStarted = (started, _) =>
                {
                    if (file.Hashing is null)
                    {
                        run.Journal.RecordSession(file.Hash, started.UploadUrl!, started.ChunkGranularity!.Value);
                    }
                    else
                    {
                        (sessionUrl, granularity, journaled) = (started.UploadUrl, started.ChunkGranularity!.Value, false);
                        JournalSessionOnceHashed();
                    }

                    return ValueTask.CompletedTask;
                },
                BytesConfirmed = offset =>
                {
                    if (confirmed is { } before && offset > before) slots.Confirmed(offset - before);
                    confirmed = offset;
                    if (offset >= file.Size) return;
                    JournalSessionOnceHashed();
                    if (journaled) run.Journal.RecordOffset(file.Hashing?.Result ?? file.Hash, offset);
                },
                BytesSent = run.Progress.Sent,
                Retrying = slots.Failed,
            }, cancellationToken).ConfigureAwait(false);

            if (file.Hashing is { } pendingHash)
            {
                var hash = await pendingHash.ConfigureAwait(false);
                if (!journaled) run.Journal.RecordPath(file.Snapshot.FullPath, file.Size, file.Snapshot.ModifiedTicks, hash, file.Quick);
                file = file with { Hash = hash, Hashing = null };
            }

            // The bytes sent must be the bytes hashed: a file rewritten meanwhile is not recorded under the old hash.
            if (file.Snapshot.HasChanged())
            {
                run.Journal.RecordDiscarded(file.Hash, "changed while uploading");
                run.Finish(FileOutcome.Failed(file.Display, FileSnapshot.ChangedReason), file);
                return null;
            }

            run.Progress.Uploaded(file.Display);
            return (file, session.UploadToken!);
        }
        catch (Exception e) when (FailurePolicy.FailsOneFile(e))
        {
            run.Finish(FileOutcome.Failed(file.Display, e), file);
            return null;
        }
    }
}
