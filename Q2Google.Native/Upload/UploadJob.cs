using Q2Google.Api;
using Q2Google.State;

namespace Q2Google.Upload;

/// <summary>What one job uploads, to where: its PATHs and options, and the library (API, client, journal) they go to.</summary>
/// <param name="Name">The job's name (<c>upload</c> for the upload command): its status file is named after it.</param>
/// <param name="Library">Whose library, for people.</param>
/// <param name="Quota">The daily quota of the job's OAuth client, shared with the other jobs of that client; its gate is the API's.</param>
internal sealed record UploadJob(string Name, string? Library, IReadOnlyList<string> Paths, UploadOptions Options, GooglePhotosApi Api,
    GooglePhotosClient Client, Journal Journal, SharedQuota Quota)
{
    /// <summary>The profile whose login the job uses (null: the default login), for <c>status</c>.</summary>
    public string? Profile { get; init; }

    /// <summary>Held during each pass by the jobs of one library (one journal): their passes take turns, so one content is never sent twice at once.</summary>
    public SemaphoreSlim? Turn { get; init; }
}
