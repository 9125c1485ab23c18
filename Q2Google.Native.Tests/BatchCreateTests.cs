using Q2Google.Api;
using Q2Google.Emulator;
using Q2Google.Tests.Infrastructure;
using Q2Google.Upload;

namespace Q2Google.Tests;

public class BatchCreateTests
{
    [Test]
    [Arguments(1, 1)]
    [Arguments(50, 1)]
    [Arguments(51, 2)]
    [Arguments(101, 3)]
    public async Task CreateMediaItems_SlicesOf50_OneResponsePerSliceInOrder(int count, int slices)
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { ChunkGranularity = 1024 });
        var client = harness.CreateClient();
        var names = new List<string>();
        var sessions = new List<ResumableUploadSession>();
        for (var i = 0; i < count; i++)
        {
            var path = harness.Dir.File($"img{i}.jpg", 100 + i, seed: i);
            names.Add($"img{i}.jpg");
            sessions.Add(await client.UploadFilePathAsync($"img{i}.jpg", path));
        }

        var responses = await client.CreateMediaItemsFromUploadSessionsAsync(names, sessions);

        await Assert.That(responses.Count).IsEqualTo(slices);
        var results = responses.SelectMany(r => r.NewMediaItemResults!).ToList();
        await Assert.That(results.Count).IsEqualTo(count);
        for (var i = 0; i < count; i++)
        {
            await Assert.That(results[i].UploadToken).IsEqualTo(sessions[i].UploadToken);
            await Assert.That(results[i].MediaItem!.Filename).IsEqualTo(names[i]);
        }

        var batchCalls = harness.Emulator.Requests.Where(r => r.Path == "/v1/mediaItems:batchCreate").ToList();
        await Assert.That(batchCalls.Count).IsEqualTo(slices);
        await Assert.That(harness.Emulator.MediaItems.Count).IsEqualTo(count);
    }

    [Test]
    public async Task CreateMediaItems_OneItemFailsInside200_OthersSucceedAndFailureHasNoMediaItem()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { ChunkGranularity = 1024 });
        harness.Emulator.AddFault(new EmulatorFault(FaultTarget.BatchCreate, FaultKind.PartialBatchFailure)
        {
            ItemIndexes = [1], ItemCode = 3, ItemMessage = "BAD_IMAGE: There was an error while trying to create this media item.",
        });
        var client = harness.CreateClient();
        var sessions = new List<ResumableUploadSession>();
        for (var i = 0; i < 3; i++) sessions.Add(await client.UploadFilePathAsync($"p{i}.jpg", harness.Dir.File($"p{i}.jpg", 500, i)));

        var responses = await client.CreateMediaItemsFromUploadSessionsAsync(["p0.jpg", "p1.jpg", "p2.jpg"], sessions);

        var results = responses[0].NewMediaItemResults!;
        await Assert.That(results[0].Status!.IsOk).IsTrue();
        await Assert.That(results[0].Status!.Code).IsNull();
        await Assert.That(results[1].Status!.Code).IsEqualTo(3);
        await Assert.That(results[1].Status!.Message).StartsWith("BAD_IMAGE");
        await Assert.That(results[1].MediaItem).IsNull();
        await Assert.That(results[2].Status!.IsOk).IsTrue();
        await Assert.That(harness.Emulator.MediaItems.Count).IsEqualTo(2);
    }

    [Test]
    public async Task CreateMediaItems_500ThenSuccess_RetriedOnce()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { ChunkGranularity = 1024 });
        var client = harness.CreateClient();
        var session = await client.UploadFilePathAsync("x.jpg", harness.Dir.File("x.jpg", 10));
        harness.Emulator.AddFault(new EmulatorFault(FaultTarget.BatchCreate, FaultKind.Status) { Status = 500 });

        var responses = await client.CreateMediaItemsFromUploadSessionsAsync(["x.jpg"], [session]);

        await Assert.That(responses[0].NewMediaItemResults![0].Status!.IsOk).IsTrue();
        var statuses = harness.Emulator.Requests.Where(r => r.Path == "/v1/mediaItems:batchCreate").Select(r => r.Status).ToArray();
        await Assert.That(statuses).IsEquivalentTo(new[] { 500, 200 });
    }
}
