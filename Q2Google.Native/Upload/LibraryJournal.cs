using Q2Google.Api;
using Q2Google.Failures;
using Q2Google.IO;
using Q2Google.State;

namespace Q2Google.Upload;

/// <summary>
/// Opens the journal of the library a run works on (<see cref="LibraryIdentity"/>). A library seen for the first
/// time may adopt a journal written before its account was known: the journal of the version that kept one
/// journal for everything, or that of the same OAuth client whose login had not recorded its account. It is
/// adopted only once Google has shown that the media items it records are in this library (one
/// <c>mediaItems:batchGet</c> of up to 50 of them): ids are unguessable and each is visible only to the account
/// and app that created it. Until then it is left where it is, and nothing in it is used.
/// </summary>
internal static class LibraryJournal
{
    private const int ProofSample = 50;

    /// <summary>Locks the library's state, adopts an earlier journal if one proves to be this library's, and opens it.</summary>
    public static async Task<Journal> OpenAsync(StateDirectory state, LibraryIdentity identity, GooglePhotosApi api, RetryOptions retry,
        Action<string> note, TimeProvider time, CancellationToken cancellationToken)
    {
        var folder = state.Prepare(identity);
        var held = StateLock.Acquire(folder);
        try
        {
            if (!File.Exists(Path.Combine(folder, Journal.FileName)))
            {
                await AdoptAsync(state, identity, folder, api, retry, note, cancellationToken).ConfigureAwait(false);
            }

            return Journal.Open(folder, time, held);
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>The library's journal for reading only (no lock, nothing created); empty when it has none yet.</summary>
    public static Journal OpenReadOnly(StateDirectory state, LibraryIdentity identity, TimeProvider time)
    {
        state.CheckExisting();
        return Journal.ReadOnly(state.FolderOf(identity), time);
    }

    /// <summary>Folders whose journal may hold this library's records but was written before its account was known.</summary>
    public static IEnumerable<(string Folder, string Description)> Candidates(StateDirectory state, LibraryIdentity identity)
    {
        if (File.Exists(state.LegacyJournalPath)) yield return (state.Root, "the journal of an earlier q2google version");
        if (!identity.KnowsAccount) yield break;
        foreach (var (folder, other) in state.Libraries())
        {
            if (other.KnowsAccount || other.Endpoint != identity.Endpoint || other.ClientId != identity.ClientId) continue;
            if (File.Exists(Path.Combine(folder, Journal.FileName))) yield return (folder, "the journal kept for this OAuth client before the login recorded its account");
        }
    }

    private static async Task AdoptAsync(StateDirectory state, LibraryIdentity identity, string folder, GooglePhotosApi api, RetryOptions retry,
        Action<string> note, CancellationToken cancellationToken)
    {
        foreach (var (candidate, description) in Candidates(state, identity).ToList())
        {
            var journalPath = Path.Combine(candidate, Journal.FileName);
            StateLock candidateLock;
            try
            {
                candidateLock = StateLock.Acquire(candidate);
            }
            catch (StateLockedException)
            {
                note($"{description} ({journalPath}) is in use by another run; it is not checked this time");
                continue;
            }

            using (candidateLock)
            {
                Proof proof;
                using (var old = Journal.ReadOnly(candidate))
                {
                    proof = await ProveAsync(old, api, retry, cancellationToken).ConfigureAwait(false);
                }

                switch (proof.Verdict)
                {
                    case Verdict.Yes:
                        // The index first: until the journal file follows it, this library has no journal file and adopts again.
                        var index = Path.Combine(candidate, StateIndex.FileName);
                        if (File.Exists(index)) File.Move(index, Path.Combine(folder, StateIndex.FileName), overwrite: true);
                        File.Move(journalPath, Path.Combine(folder, Journal.FileName));
                        PrivateDirectory.Sync(folder);
                        PrivateDirectory.Sync(candidate);
                        note($"adopted {description} for {identity.Describe()} ({proof.Detail})");
                        return;
                    case Verdict.No:
                        // Another account's or another server's: it stays, for the library it belongs to.
                        continue;
                    default:
                        note($"{description} ({journalPath}) could not be matched to {identity.Describe()} ({proof.Detail}); it is left as it is and " +
                             "not used, so files it knows are sent again (Google maps identical bytes to the item that has them)");
                        continue;
                }
            }
        }
    }

    private enum Verdict { Yes, No, Unknown }

    private sealed record Proof(Verdict Verdict, string Detail);

    private static async Task<Proof> ProveAsync(Journal old, GooglePhotosApi api, RetryOptions retry, CancellationToken cancellationToken)
    {
        var sample = old.SampleMediaItemIds(ProofSample);
        if (sample.Count == 0)
        {
            // Nothing it records names a library: upload tokens are bound to their account by Google, and saved
            // sessions are only resumed on this library's own endpoint.
            return old.Albums.Count == 0 ? new(Verdict.Yes, "it records no media items yet") : await ProveAlbumAsync(old, api, retry, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var answer = await Backoff.RetryAsync(retry, () => api.BatchGetMediaItemsAsync(sample, cancellationToken), cancellationToken).ConfigureAwait(false);
            var found = (answer.MediaItemResults ?? []).Count(r => r.MediaItem is not null);
            return found > 0
                ? new(Verdict.Yes, $"{found} of {sample.Count} of its media items checked are in this library")
                : new(Verdict.No, $"none of {sample.Count} of its media items is in this library");
        }
        catch (GooglePhotosApiException e) when (e.IsInsufficientScope)
        {
            return new(Verdict.Unknown, "checking needs the 'read' permission: run `q2google auth login --scopes append,read`");
        }
        catch (GooglePhotosApiException e) when ((int)e.StatusCode == 400)
        {
            // Whether Google refuses a whole batchGet for one unknown id is UNCONFIRMED: ask for a few one by one.
            return await ProveOneByOneAsync(sample.Take(5), api, retry, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is GooglePhotosApiException or HttpRequestException or TimeoutException)
        {
            return new(Verdict.Unknown, e.Message);
        }
    }

    private static async Task<Proof> ProveOneByOneAsync(IEnumerable<string> ids, GooglePhotosApi api, RetryOptions retry, CancellationToken cancellationToken)
    {
        foreach (var id in ids)
        {
            try
            {
                await Backoff.RetryAsync(retry, () => api.GetMediaItemAsync(id, cancellationToken), cancellationToken).ConfigureAwait(false);
                return new(Verdict.Yes, "one of its media items is in this library");
            }
            catch (GooglePhotosApiException e) when ((int)e.StatusCode is 400 or 404)
            {
            }
            catch (Exception e) when (e is GooglePhotosApiException or HttpRequestException or TimeoutException)
            {
                return new(Verdict.Unknown, e.Message);
            }
        }

        return new(Verdict.No, "its media items are unknown here");
    }

    private static async Task<Proof> ProveAlbumAsync(Journal old, GooglePhotosApi api, RetryOptions retry, CancellationToken cancellationToken)
    {
        var album = old.Albums[0];
        try
        {
            await Backoff.RetryAsync(retry, () => api.GetAlbumAsync(album.Id, cancellationToken), cancellationToken).ConfigureAwait(false);
            return new(Verdict.Yes, $"its album \"{album.Title}\" is in this library");
        }
        catch (GooglePhotosApiException e) when (e.IsInsufficientScope)
        {
            return new(Verdict.Unknown, "checking needs the 'read' permission: run `q2google auth login --scopes append,read`");
        }
        catch (GooglePhotosApiException e) when ((int)e.StatusCode is 400 or 404)
        {
            return new(Verdict.No, "its album is not in this library");
        }
        catch (Exception e) when (e is GooglePhotosApiException or HttpRequestException or TimeoutException)
        {
            return new(Verdict.Unknown, e.Message);
        }
    }
}
