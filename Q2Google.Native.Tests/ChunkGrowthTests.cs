using Q2Google.Emulator;
using Q2Google.Tests.Infrastructure;
using Q2Google.Upload;

namespace Q2Google.Tests;

/// <summary>
/// Chunks sized by time (<see cref="ChunkGrowth"/>): on a fast line far from the server they grow until a round trip
/// is a small part of each, in whole granules, never below the chunk size asked for nor past the ceiling.
/// </summary>
public class ChunkGrowthTests
{
    private const long Granule = 256 * 1024;
    private const long Mib = 1 << 20;

    [Test]
    [Arguments(16 * Mib, 900, 64 * Mib)] // 16 MiB in 0.9 s: 4 s would be 71 MiB, but growth is at most fourfold a step
    [Arguments(64 * Mib, 3300, 77.5 * Mib)] // 64 MiB in 3.3 s: 77.6 MiB in 4 s, down to whole granules
    [Arguments(16 * Mib, 16000, 16 * Mib)] // a slow line: never below the chunk size asked for
    [Arguments(256 * Mib, 100, 256 * Mib)] // a very fast line: never past the ceiling
    public async Task Next_TakesAboutTheDuration_InWholeGranules_WithinItsBounds(long last, int tookMs, double expected)
    {
        var next = ChunkGrowth.Next(last, TimeSpan.FromMilliseconds(tookMs), TimeSpan.FromSeconds(4), 16 * Mib, Granule);

        await Assert.That(next).IsEqualTo((long)expected);
        await Assert.That(next % Granule).IsEqualTo(0);
    }

    [Test]
    public async Task AFarFastLine_GrowsAFilesChunks_AndEveryByteArrives()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions
        {
            ChunkGranularity = 64 * 1024, UploadBandwidth = 4 * Mib, ResponseDelay = TimeSpan.FromMilliseconds(50),
        });
        var client = new GooglePhotosClient(harness.CreateApi(), retry: EmulatorHarness.FastRetry) { ChunkSize = 256 * 1024, ChunkDuration = TimeSpan.FromSeconds(0.5) };
        var path = harness.Dir.File("MOV_1.mp4", 6 * Mib);

        var session = await client.UploadFileAsync("MOV_1.mp4", path, null);

        var chunks = harness.Emulator.Requests.Where(r => r.UploadCommand is not null && r.UploadCommand.Contains("upload", StringComparison.Ordinal))
            .Select(r => r.ContentLength).ToList();
        await Assert.That(session.UploadToken).IsNotNull();
        await Assert.That(chunks[0]).IsEqualTo(256 * 1024);
        await Assert.That(chunks.Max()).IsGreaterThan(256 * 1024);
        await Assert.That(chunks.Sum()).IsEqualTo(6 * Mib);
        await Assert.That(chunks.SkipLast(1).All(length => length % (64 * 1024) == 0)).IsTrue();
    }
}
