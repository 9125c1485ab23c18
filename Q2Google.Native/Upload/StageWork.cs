using Q2Google.State;

namespace Q2Google.Upload;

/// <summary>Bytes to send: a new file, a changed one, or one whose session an earlier run started.</summary>
/// <param name="Known">What the journal knows of the content (a session to resume), if anything.</param>
internal sealed record SendBytes(PreparedFile File, ContentState? Known);

/// <summary>What the batch creator is handed.</summary>
internal abstract record CreatorWork;

/// <summary>Bytes that are up: turn the upload token into a media item.</summary>
/// <param name="TokenFromEarlierRun">Saved by an earlier run: Google may have spent it already (a lost answer).</param>
internal sealed record CreateItem(PreparedFile File, string Token, bool TokenFromEarlierRun, int Attempt = 1) : CreatorWork;

/// <summary>Content already in the library: put its media item into this run's album.</summary>
internal sealed record AddToAlbum(PreparedFile File, string MediaItemId, string? ProductUrl) : CreatorWork;

/// <summary>No more bytes are on their way: send partial batches now instead of waiting for the idle timer.</summary>
internal sealed record FlushNow : CreatorWork
{
    public static readonly FlushNow Instance = new();
}
