using System.Threading.Channels;
using Q2Google.Failures;
using Q2Google.IO;
using Q2Google.State;

namespace Q2Google.Upload;

/// <summary>
/// The first stage: decides what each file found by the walk needs, reading as little as possible. A path seen
/// before with the same size and time is known by the journal without a read; anything else is classified (name
/// and first bytes, once) and hashed. The decision: skip it, report it as already in the library (putting it into
/// the album), plan it (dry run), create its media item from a token an earlier run saved, or send its bytes.
/// </summary>
internal sealed class FilePreparer(UploadContext run)
{
    public async Task RunAsync(ChannelReader<WalkItem> input, ChannelWriter<SendBytes> bytes, ChannelWriter<CreatorWork> creator,
        CancellationToken cancellationToken)
    {
        await foreach (var item in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (item is not UploadCandidate file)
            {
                var skip = (WalkSkip)item;
                run.Finish(skip.IsFailure ? FileOutcome.Failed(skip.Display, skip.Detail ?? skip.Reason) : FileOutcome.Skipped(skip.Display, skip.Reason, skip.Detail));
                continue;
            }

            try
            {
                await PrepareAsync(file, bytes, creator, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (FailurePolicy.FailsOneFile(e))
            {
                run.Finish(FileOutcome.Failed(file.Display, e));
            }
        }
    }

    private async Task PrepareAsync(UploadCandidate file, ChannelWriter<SendBytes> bytes, ChannelWriter<CreatorWork> creator, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(file.FullPath);
        if (FileClassifier.SkipByName(name) is { } byName)
        {
            run.Finish(Skipped(file, byName, null, null));
            return;
        }

        var snapshot = FileSnapshot.Of(file);
        var options = run.Options;
        var seen = options.Force ? null : run.Journal.Known(file.FullPath, snapshot.Size, snapshot.ModifiedTicks);
        var hash = seen?.Hash;
        string? mimeType = null;
        if (hash is null)
        {
            if (Classify(file, snapshot) is not { } classified) return;
            mimeType = classified;
            if (options.DryRun)
            {
                run.Plan(file.Display, snapshot.Size);
                return;
            }

            string? quick = null;
            if (snapshot.Size > options.RawUploadLimit)
            {
                // Reading a big file once to hash it and again to send it would double the time it takes: unless
                // its sampled fingerprint is known (then it may be a moved copy and the full hash decides), its
                // bytes start going up now and the full hash is computed alongside.
                quick = QuickFingerprint.Compute(file.FullPath);
                if (run.Journal.HashByQuick(quick) is null)
                {
                    var pending = new PreparedFile(file.Display, snapshot, "", mimeType, AlbumTarget.For(options, file))
                    {
                        Hashing = Task.Run(() => ContentHash.OfFileAsync(file.FullPath, cancellationToken), cancellationToken),
                        Quick = quick,
                    };
                    await SendAsync(new SendBytes(pending, null), bytes, cancellationToken).ConfigureAwait(false);
                    return;
                }
            }

            hash = await ContentHash.OfFileAsync(file.FullPath, cancellationToken).ConfigureAwait(false);
            if (snapshot.HasChanged())
            {
                run.Finish(FileOutcome.Failed(file.Display, FileSnapshot.ChangedReason));
                return;
            }

            run.Journal.RecordPath(file.FullPath, snapshot.Size, snapshot.ModifiedTicks, hash, quick);
        }

        var known = seen is not null ? seen.Content : run.Journal.Content(hash);
        var prepared = new PreparedFile(file.Display, snapshot, hash, mimeType, AlbumTarget.For(options, file));
        if (known?.IsCreated == true && !options.Force)
        {
            run.AlreadyInLibrary(prepared, known, creator);
            return;
        }

        // Known content that still needs its bytes or its media item: what it is decides how it is announced.
        if (mimeType is null)
        {
            if (Classify(file, snapshot) is not { } classified) return;
            prepared = prepared with { MimeType = classified };
        }

        if (options.DryRun)
        {
            run.Plan(file.Display, snapshot.Size);
            return;
        }

        if (!run.Claims.TryClaim(hash, out var first))
        {
            WaitForFirstCopy(prepared, first, creator, cancellationToken);
            return;
        }

        // A first copy may have finished (and let its claim go) since the journal was asked above.
        if (!options.Force && run.Journal.Content(hash) is { IsCreated: true } done)
        {
            run.Claims.Resolve(hash, done);
            run.AlreadyInLibrary(prepared, done, creator);
            return;
        }

        var now = run.Time.GetUtcNow();
        if (known?.Token is { } token && known.TokenAt > now - options.ReuseWithin)
        {
            // The bytes went up in an earlier run; only the media item is missing.
            run.Work.StartCreating();
            await creator.WriteAsync(new CreateItem(prepared, token, TokenFromEarlierRun: true), cancellationToken).ConfigureAwait(false);
            return;
        }

        await SendAsync(new SendBytes(prepared, known), bytes, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendAsync(SendBytes job, ChannelWriter<SendBytes> bytes, CancellationToken cancellationToken)
    {
        // The whole file: a resumed one counts what the server already has as sent once it says so.
        run.Progress.Queued(job.File.Size);
        run.Work.StartSending();
        await bytes.WriteAsync(job, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The MIME type Google will be told, or null after reporting why the file is skipped.</summary>
    private string? Classify(UploadCandidate file, FileSnapshot snapshot)
    {
        Span<byte> head = stackalloc byte[MagicBytes.HeaderLength];
        int read;
        using (var handle = RegularFile.OpenRead(file.FullPath)) read = RandomAccess.Read(handle, head, 0);
        var verdict = FileClassifier.Classify(Path.GetFileName(file.FullPath), snapshot.Size, head[..read]);
        if (verdict.Accepted) return verdict.MimeType;
        run.Finish(Skipped(file, verdict.SkipReason!, verdict.Detail, snapshot.Size));
        return null;
    }

    /// <summary>
    /// A file Google would not take: found in a folder, it is skipped with the reason; named on the command line,
    /// it was asked for and cannot be done, so it has failed (exit 1).
    /// </summary>
    private static FileOutcome Skipped(UploadCandidate file, string reason, string? detail, long? size) => file.Named
        ? FileOutcome.Failed(file.Display, $"cannot be uploaded ({reason}){(detail is null ? "" : ": " + detail)}") with { Bytes = size }
        : FileOutcome.Skipped(file.Display, reason, detail, size);

    /// <summary>The same content again in this run: it waits for the first copy's media item, then is already in the library.</summary>
    private void WaitForFirstCopy(PreparedFile copy, Task<ContentState?> first, ChannelWriter<CreatorWork> creator, CancellationToken cancellationToken)
    {
        run.Work.StartWaiting();
        _ = first.ContinueWith(done =>
        {
            try
            {
                // A stopped run leaves it not attempted; it is tried again by the next run.
                if (cancellationToken.IsCancellationRequested) return;
                if (done.Result is { IsCreated: true } content) run.AlreadyInLibrary(copy, content, creator);
                else run.Finish(FileOutcome.Failed(copy.Display, "a file with the same content could not be uploaded in this run (see its error)"));
            }
            finally
            {
                run.Work.DoneWaiting();
            }
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }
}
