using Q2Google.Api;
using Q2Google.Tests.Infrastructure;
using Q2Google.Upload;

namespace Q2Google.Tests;

public class ClientArgumentTests
{
    [Test]
    [Arguments(0)]
    [Arguments(-3)]
    public async Task Constructor_MultiplierBelowOne_Throws(int multiplier)
    {
        await Assert.That(() => new GooglePhotosClient(new StartOnlyPort(null), multiplier)).Throws<ArgumentOutOfRangeException>();
    }

    [Test]
    public async Task UploadFilePath_StartWithoutGranularity_ThrowsInvalidOperation()
    {
        using var dir = new TempDir();
        var path = dir.File("a.jpg", 10);
        var client = new GooglePhotosClient(new StartOnlyPort(null));

        await Assert.That(() => client.UploadFilePathAsync("a.jpg", path)).Throws<InvalidOperationException>();
    }

    /// <summary>A port whose start answer lacks the granularity header; nothing else may be called.</summary>
    private sealed class StartOnlyPort(long? granularity) : IGooglePhotoLibraryPort
    {
        public Task<ResumableUploadSession> InitUploadSessionAsync(string contentType, long contentLength, string fileName, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ResumableUploadSession { UploadUrl = "https://example.invalid/upload", Status = UploadStatus.Active, ChunkGranularity = granularity });

        public Task<ResumableUploadSession> UploadChunkAsync(string url, UploadCommand command, long offset, FileChunk content, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("no chunk may be sent");

        public Task<ResumableUploadSession> UploadRawAsync(string contentType, string fileName, FileChunk content, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("no raw upload may be sent");

        public Task<ResumableUploadSession> QueryUploadStatusAsync(string url, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("no query may be sent");

        public Task<MediaItemBatchCreateResponse> CreateMediaItemAsync(MediaItemBatchCreateRequest request, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("no batchCreate may be sent");
    }
}
