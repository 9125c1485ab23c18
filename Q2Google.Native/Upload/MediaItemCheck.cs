using System.Net;
using Q2Google.Api;
using Q2Google.Failures;

namespace Q2Google.Upload;

/// <summary>
/// Asks Google whether media items still exist: one <c>mediaItems:batchGet</c> for up to 50 ids
/// (docs/protocol.md#listing-and-paging). An item comes back, or a per-item status says why not; an unknown or
/// deleted id has been seen answered with code 3 (<c>Invalid media item ID.</c>), and NOT_FOUND (5) would mean
/// the same. Any other status proves nothing either way. Whether Google can refuse a whole batch with 400 for
/// one such id is UNCONFIRMED: then each id is asked for on its own (up to 50 requests instead of one).
/// </summary>
internal sealed class MediaItemCheck(GooglePhotosApi api, RetryOptions retry)
{
    public const int BatchSize = 50;

    /// <summary>google.rpc.Code values that say the item is not in the library.</summary>
    private const int InvalidArgument = 3;
    private const int NotFound = 5;

    /// <summary>What Google says of each of <paramref name="ids"/> (at most 50, no repeats).</summary>
    public async Task<IReadOnlyDictionary<string, (ItemVerdict Verdict, string? Reason)>> CheckAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        BatchGetMediaItemsResponse answer;
        try
        {
            answer = await Backoff.RetryAsync(retry, () => api.BatchGetMediaItemsAsync(ids, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (GooglePhotosApiException e) when (e.StatusCode == HttpStatusCode.BadRequest)
        {
            return await OneByOneAsync(ids, cancellationToken).ConfigureAwait(false);
        }

        var results = answer.MediaItemResults ?? [];
        var verdicts = new Dictionary<string, (ItemVerdict, string?)>(StringComparer.Ordinal);
        if (results.Count == ids.Count)
        {
            // In request order, one per id (docs/protocol.md#listing-and-paging).
            for (var i = 0; i < ids.Count; i++) verdicts[ids[i]] = VerdictOf(results[i]);
            return verdicts;
        }

        // Not one answer per id: only what names its item can be trusted.
        foreach (var result in results)
        {
            if (result.MediaItem is { Id: var id }) verdicts[id] = (ItemVerdict.Present, null);
        }

        foreach (var id in ids) verdicts.TryAdd(id, (ItemVerdict.Unchecked, $"Google answered {results.Count} results for {ids.Count} ids"));
        return verdicts;
    }

    private static (ItemVerdict, string?) VerdictOf(MediaItemResult result) => result switch
    {
        { MediaItem: not null } => (ItemVerdict.Present, null),
        { Status.Code: InvalidArgument or NotFound } => (ItemVerdict.Missing, null),
        { Status: { } status } => (ItemVerdict.Unchecked, $"Google answered code {status.Code ?? 0}: {status.Message?.Trim()}"),
        _ => (ItemVerdict.Unchecked, "Google answered neither the item nor a status"),
    };

    private async Task<IReadOnlyDictionary<string, (ItemVerdict, string?)>> OneByOneAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var verdicts = new Dictionary<string, (ItemVerdict, string?)>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            try
            {
                await Backoff.RetryAsync(retry, () => api.GetMediaItemAsync(id, cancellationToken), cancellationToken).ConfigureAwait(false);
                verdicts[id] = (ItemVerdict.Present, null);
            }
            catch (GooglePhotosApiException e) when (e.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound)
            {
                verdicts[id] = (ItemVerdict.Missing, null);
            }
            catch (GooglePhotosApiException e) when (e.Kind is FailureKind.File or FailureKind.Transient)
            {
                // Retries ran out, or an answer that is neither the item nor "not found": this one stays unproven.
                verdicts[id] = (ItemVerdict.Unchecked, e.Message);
            }
        }

        return verdicts;
    }
}
