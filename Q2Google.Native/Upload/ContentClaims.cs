using System.Collections.Concurrent;
using Q2Google.State;

namespace Q2Google.Upload;

/// <summary>
/// The same bytes twice in one run (a copy in another folder): the first file claims the content and uploads
/// it, the others wait for its media item instead of sending the bytes again. Only open claims are held.
/// </summary>
internal sealed class ContentClaims
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ContentState?>> _claims = new(StringComparer.Ordinal);

    /// <summary>True for the first file with this content; the others get the task that tells them how it ended.</summary>
    public bool TryClaim(string hash, out Task<ContentState?> first)
    {
        var claim = new TaskCompletionSource<ContentState?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var winner = _claims.GetOrAdd(hash, claim);
        first = winner.Task;
        return winner == claim;
    }

    /// <summary>
    /// The content's first file has its final state (a media item, or a failure). The claim goes: copies found
    /// later ask the journal instead, so a run of a million files holds only the claims still open.
    /// </summary>
    public void Resolve(string hash, ContentState? state)
    {
        if (_claims.TryRemove(hash, out var claim)) claim.TrySetResult(state);
    }

    /// <summary>A stopped run resolves nothing more: the waiting copies are let go, unresolved.</summary>
    public void ReleaseAll()
    {
        foreach (var claim in _claims.Values) claim.TrySetResult(null);
    }
}
