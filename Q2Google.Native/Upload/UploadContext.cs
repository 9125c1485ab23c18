using System.Threading.Channels;
using Q2Google.Api;
using Q2Google.State;

namespace Q2Google.Upload;

/// <summary>
/// What the stages of one run share: the API, the journal, the options, the claims on contents, the work count,
/// and the one way a file's outcome leaves the run (journaled when it is a failure, reported once).
/// </summary>
internal sealed class UploadContext(GooglePhotosApi api, GooglePhotosClient client, Journal journal, UploadOptions options,
    Action<FileOutcome> report, IUploadProgress progress, TimeProvider time, Action<string> note)
{
    private long _estimatedRequests;
    private int _planned;

    public GooglePhotosApi Api { get; } = api;
    public GooglePhotosClient Client { get; } = client;
    public Journal Journal { get; } = journal;
    public UploadOptions Options { get; } = options;
    public IUploadProgress Progress { get; } = progress;
    public TimeProvider Time { get; } = time;

    /// <summary>Tells the person something about the run as a whole (not about one file).</summary>
    public Action<string> Note { get; } = note;
    public ContentClaims Claims { get; } = new();
    public AlbumResolver Albums { get; } = new(api, journal, options.AlbumItemLimit, client.Retry, note);

    /// <summary>Set by the run before any stage starts.</summary>
    public WorkInFlight Work { get; set; } = null!;

    /// <summary>A dry run's estimate of the API requests a real run would make: the uploads, and a batchCreate per 50.</summary>
    public long EstimatedRequests => Interlocked.Read(ref _estimatedRequests) + (Volatile.Read(ref _planned) + GooglePhotosClient.LibraryBatchSize - 1) / GooglePhotosClient.LibraryBatchSize;

    /// <summary>
    /// The final word on a file. A failure of a file whose content is known is journaled (so <c>status</c> can
    /// list it) and lets the copies waiting for that content go.
    /// </summary>
    public void Finish(FileOutcome outcome, PreparedFile? file = null)
    {
        if (file is not null && outcome.Status == OutcomeStatus.Failed && file.Hash.Length > 0)
        {
            Journal.RecordFailed(file.Hash, file.Snapshot.FullPath, outcome.Reason ?? "failed");
            Claims.Resolve(file.Hash, Journal.Content(file.Hash));
        }

        Progress.Finished(outcome.Path);
        report(outcome);
    }

    /// <summary>Content already in the library: reported, after its media item is put into this run's album if it is not there yet.</summary>
    public void AlreadyInLibrary(PreparedFile file, ContentState content, ChannelWriter<CreatorWork> creator)
    {
        if (file.Album is not null && !Options.DryRun && !Albums.Holds(file.Album, content))
        {
            Work.StartCreating();
            creator.TryWrite(new AddToAlbum(file, content.MediaItemId!, content.ProductUrl));
            return;
        }

        Finish(new FileOutcome(file.Display, OutcomeStatus.AlreadyUploaded)
        {
            MediaItemId = content.MediaItemId, ProductUrl = content.ProductUrl, AlbumId = content.Albums.LastOrDefault(), Bytes = file.Size,
        });
    }

    /// <summary>A dry run counts what a real run would send: one raw request, or a start and a request per chunk.</summary>
    public void Plan(string display, long size)
    {
        var requests = size <= Options.RawUploadLimit ? 1 : 1 + (size + Options.ChunkSize - 1) / Options.ChunkSize;
        Interlocked.Add(ref _estimatedRequests, requests);
        Interlocked.Increment(ref _planned);
        Finish(new FileOutcome(display, OutcomeStatus.Planned) { Bytes = size });
    }
}
