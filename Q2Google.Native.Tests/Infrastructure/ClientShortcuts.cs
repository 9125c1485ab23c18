using Q2Google.Api;
using Q2Google.Upload;

namespace Q2Google.Tests.Infrastructure;

/// <summary>
/// Two-line shortcuts for tests that upload a few files by hand; both go through the production methods
/// (<see cref="GooglePhotosClient.UploadFileAsync"/>, and the 50-item slicing <see cref="GooglePhotosClient.CreateMediaItemsAsync"/>).
/// </summary>
internal static class ClientShortcuts
{
    public static Task<ResumableUploadSession> UploadFilePathAsync(this GooglePhotosClient client, string fileName, string path) =>
        client.UploadFileAsync(fileName, path, null);

    public static Task<IReadOnlyList<MediaItemBatchCreateResponse>> CreateMediaItemsFromUploadSessionsAsync(this GooglePhotosClient client,
        IReadOnlyList<string> fileNames, IReadOnlyList<ResumableUploadSession> sessions, string? albumId = null) =>
        client.CreateMediaItemsAsync([.. fileNames.Zip(sessions, (name, session) => new NewMediaItem
        {
            SimpleMediaItem = new SimpleMediaItem { UploadToken = session.UploadToken!, FileName = name },
        })], albumId);
}
