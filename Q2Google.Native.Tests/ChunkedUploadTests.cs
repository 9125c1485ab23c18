using Q2Google.Api;
using Q2Google.Emulator;
using Q2Google.Tests.Infrastructure;

namespace Q2Google.Tests;

/// <summary>Chunk boundaries: every byte arrives once, in granule-aligned chunks, with the right commands.</summary>
public class ChunkedUploadTests
{
    private const long Granularity = 1024;
    private const int Multiplier = 2;
    private const long Chunk = Granularity * Multiplier;

    [Test]
    [Arguments(1L)]
    [Arguments(Granularity - 1)]
    [Arguments(Granularity)]
    [Arguments(Granularity + 1)]
    [Arguments(Chunk - 1)]
    [Arguments(Chunk)]
    [Arguments(Chunk + 1)]
    [Arguments(Chunk * 2)]
    [Arguments(Chunk * 3)]
    [Arguments(Chunk * 3 + 5)]
    public async Task UploadFilePath_AnySize_ServerHasExactBytesInAlignedChunks(long size)
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { ChunkGranularity = Granularity });
        var path = harness.Dir.File("photo.jpg", size, seed: (int)size);
        var client = harness.CreateClient(multiplier: Multiplier);

        var session = await client.UploadFilePathAsync("photo.jpg", path);
        var responses = await client.CreateMediaItemsFromUploadSessionsAsync(["photo.jpg"], [session]);

        await Assert.That(session.Status).IsEqualTo(UploadStatus.Final);
        await Assert.That(session.UploadToken).IsNotNull();
        await Assert.That(responses[0].NewMediaItemResults![0].Status!.IsOk).IsTrue();
        var item = harness.ItemsWithContentOf(path);
        await Assert.That(item.Count).IsEqualTo(1);
        await Assert.That(item[0].Size).IsEqualTo(size);
        await Assert.That(item[0].FileName).IsEqualTo("photo.jpg");

        var chunks = harness.Emulator.Requests.Where(r => r.UploadCommand is { } c && c.Contains("upload")).ToList();
        var expectedChunks = (int)Math.Max(1, (size + Chunk - 1) / Chunk);
        await Assert.That(chunks.Count).IsEqualTo(expectedChunks);
        for (var i = 0; i < chunks.Count; i++)
        {
            await Assert.That(chunks[i].Offset).IsEqualTo(i * Chunk);
            await Assert.That(chunks[i].Status).IsEqualTo(200);
            if (i < chunks.Count - 1)
            {
                await Assert.That(chunks[i].UploadCommand).IsEqualTo("upload");
                await Assert.That(chunks[i].ContentLength).IsEqualTo(Chunk);
            }
        }

        await Assert.That(chunks[^1].UploadCommand).IsEqualTo("upload, finalize");
        await Assert.That(chunks[^1].ContentLength).IsEqualTo(size - (chunks.Count - 1) * Chunk);
    }

    [Test]
    public async Task UploadFilePath_ChunkSizeOverride_RoundsUpToGranularity()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { ChunkGranularity = Granularity });
        var path = harness.Dir.File("clip.mp4", 10_000);
        var client = new Q2Google.Upload.GooglePhotosClient(harness.CreateApi(), 4, EmulatorHarness.FastRetry) { ChunkSize = 1500 };

        await client.UploadFilePathAsync("clip.mp4", path);

        var chunks = harness.Emulator.Requests.Where(r => r.UploadCommand is { } c && c.Contains("upload")).ToList();
        await Assert.That(chunks.Select(c => c.ContentLength).ToArray()).IsEquivalentTo(new long[] { 2048, 2048, 2048, 2048, 1808 });
    }

    [Test]
    public async Task UploadFilePath_UnicodeName_HeaderIsAsciiAndBatchCreateKeepsTheRealName()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { ChunkGranularity = Granularity });
        const string name = "Été 北京 🎉.jpg";
        var path = harness.Dir.File("unicode.jpg", 3000);
        var client = harness.CreateClient();

        var session = await client.UploadFilePathAsync(name, path);
        await client.CreateMediaItemsFromUploadSessionsAsync([name], [session]);

        await Assert.That(harness.ItemsWithContentOf(path)[0].FileName).IsEqualTo(name);
        await Assert.That(GooglePhotosApi.AsciiFileName(name)).IsEqualTo("_t_ __ __.jpg");
    }
}
