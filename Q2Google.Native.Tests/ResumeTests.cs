using System.Diagnostics;
using Q2Google.Api;
using Q2Google.Emulator;
using Q2Google.Failures;
using Q2Google.Http;
using Q2Google.Tests.Infrastructure;
using Q2Google.Upload;

namespace Q2Google.Tests;

/// <summary>Recovery: after any failure the client asks the server where it stopped and continues from there.</summary>
public class ResumeTests
{
    private const long Granularity = 4096;

    [Test]
    public async Task Upload_ResetInTheMiddleOfAChunk_QueriesAndResumesFromConfirmedOffset()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { ChunkGranularity = Granularity });
        // Second chunk dies halfway: 4 granules sent, 2 committed.
        harness.Emulator.AddFault(new EmulatorFault(FaultTarget.UploadChunk, FaultKind.ResetMidBody) { After = 1 });
        var path = harness.Dir.File("video.mp4", Granularity * 4 * 3 + 100);
        var client = harness.CreateClient(multiplier: 4);

        var session = await client.UploadFilePathAsync("video.mp4", path);
        await client.CreateMediaItemsFromUploadSessionsAsync(["video.mp4"], [session]);

        await Assert.That(harness.ItemsWithContentOf(path).Count).IsEqualTo(1);
        var log = harness.Emulator.Requests.Where(r => r.Path == "/v1/uploads").ToList();
        var reset = log.FindIndex(r => r.Status == 0);
        await Assert.That(reset).IsGreaterThan(0);
        await Assert.That(log[reset].Offset).IsEqualTo(Granularity * 4);
        await Assert.That(log[reset + 1].UploadCommand).IsEqualTo("query");
        // Half of a 4-granule chunk arrived: the server kept 2 granules and the client went on from there.
        await Assert.That(log[reset + 2].Offset).IsEqualTo(Granularity * 6);
    }

    [Test]
    public async Task Upload_ResetWithoutPartialCommit_ResendsWholeChunk()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { ChunkGranularity = Granularity, CommitPartialGranules = false });
        harness.Emulator.AddFault(new EmulatorFault(FaultTarget.UploadChunk, FaultKind.ResetMidBody) { After = 1 });
        var path = harness.Dir.File("video.mp4", Granularity * 4 * 3);
        var client = harness.CreateClient(multiplier: 4);

        var session = await client.UploadFilePathAsync("video.mp4", path);
        await client.CreateMediaItemsFromUploadSessionsAsync(["video.mp4"], [session]);

        await Assert.That(harness.ItemsWithContentOf(path).Count).IsEqualTo(1);
        var log = harness.Emulator.Requests.Where(r => r.Path == "/v1/uploads").ToList();
        var reset = log.FindIndex(r => r.Status == 0);
        await Assert.That(log[reset + 2].Offset).IsEqualTo(Granularity * 4);
    }

    [Test]
    public async Task Upload_ResetOnFinalChunk_ResumesAndFinalizes()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { ChunkGranularity = Granularity });
        harness.Emulator.AddFault(new EmulatorFault(FaultTarget.UploadFinalize, FaultKind.ResetMidBody));
        var path = harness.Dir.File("photo.jpg", Granularity * 3 + 17);
        var client = harness.CreateClient(multiplier: 4);

        var session = await client.UploadFilePathAsync("photo.jpg", path);
        await client.CreateMediaItemsFromUploadSessionsAsync(["photo.jpg"], [session]);

        await Assert.That(harness.ItemsWithContentOf(path).Count).IsEqualTo(1);
    }

    [Test]
    public async Task Upload_503ThenSuccess_QueriesAndCompletes()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { ChunkGranularity = Granularity });
        harness.Emulator.AddFault(new EmulatorFault(FaultTarget.UploadChunk, FaultKind.Status) { Status = 503 });
        var path = harness.Dir.File("photo.jpg", Granularity * 10);
        var client = harness.CreateClient(multiplier: 4);

        var session = await client.UploadFilePathAsync("photo.jpg", path);
        await client.CreateMediaItemsFromUploadSessionsAsync(["photo.jpg"], [session]);

        await Assert.That(harness.ItemsWithContentOf(path).Count).IsEqualTo(1);
        var log = harness.Emulator.Requests.Where(r => r.Path == "/v1/uploads").ToList();
        var failed = log.FindIndex(r => r.Status == 503);
        await Assert.That(log[failed + 1].UploadCommand).IsEqualTo("query");
    }

    [Test]
    public async Task Upload_503OnStart_RetriesStart()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { ChunkGranularity = Granularity });
        harness.Emulator.AddFault(new EmulatorFault(FaultTarget.UploadStart, FaultKind.Status) { Status = 503, Count = 2 });
        var path = harness.Dir.File("photo.jpg", 100);

        var session = await harness.CreateClient().UploadFilePathAsync("photo.jpg", path);

        await Assert.That(session.UploadToken).IsNotNull();
        await Assert.That(harness.Emulator.Requests.Count(r => r.UploadCommand == "start")).IsEqualTo(3);
    }

    [Test]
    public async Task Upload_429WithRetryAfter_WaitsAtLeastThatLong()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { ChunkGranularity = Granularity });
        harness.Emulator.AddFault(new EmulatorFault(FaultTarget.UploadChunk, FaultKind.RateLimit) { RetryAfter = TimeSpan.FromSeconds(1) });
        var path = harness.Dir.File("photo.jpg", Granularity * 2);

        var session = await harness.CreateClient(multiplier: 1).UploadFilePathAsync("photo.jpg", path);

        await Assert.That(session.UploadToken).IsNotNull();
        var log = harness.Emulator.Requests.Where(r => r.Path == "/v1/uploads").ToList();
        var limited = log.FindIndex(r => r.Status == 429);
        await Assert.That(log[limited + 1].Time - log[limited].Time).IsGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.95));
    }

    [Test]
    public async Task Backoff_429WithoutRetryAfter_WaitsTheThirtySecondFloor()
    {
        var backoff = new Backoff(new RetryOptions());
        var limited = new GooglePhotosApiException(System.Net.HttpStatusCode.TooManyRequests, "RESOURCE_EXHAUSTED", "per minute", "test");
        var unavailable = new GooglePhotosApiException(System.Net.HttpStatusCode.ServiceUnavailable, "UNAVAILABLE", "x", "test");
        var withRetryAfter = new GooglePhotosApiException(System.Net.HttpStatusCode.ServiceUnavailable, "UNAVAILABLE", "x", "test") { RetryAfter = TimeSpan.FromSeconds(7) };

        await Assert.That(backoff.DelayFor(limited, 1)).IsGreaterThanOrEqualTo(TimeSpan.FromSeconds(30));
        await Assert.That(backoff.DelayFor(unavailable, 1)).IsBetween(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
        await Assert.That(backoff.DelayFor(unavailable, 4)).IsBetween(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8));
        await Assert.That(backoff.DelayFor(unavailable, 30)).IsLessThanOrEqualTo(TimeSpan.FromSeconds(64));
        await Assert.That(backoff.DelayFor(withRetryAfter, 1)).IsGreaterThanOrEqualTo(TimeSpan.FromSeconds(7));
    }

    [Test]
    public async Task Upload_DailyQuotaExhausted_IsNotRetried()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { ChunkGranularity = Granularity, DailyQuota = 2 });
        var path = harness.Dir.File("photo.jpg", Granularity * 4);

        var error = await Assert.That(() => harness.CreateClient(multiplier: 1).UploadFilePathAsync("photo.jpg", path)).Throws<GooglePhotosApiException>();

        await Assert.That(error!.IsDailyQuotaExhausted).IsTrue();
        await Assert.That(harness.Emulator.Requests.Count).IsEqualTo(3);
    }

    [Test]
    public async Task Upload_ServerStallsPastTimeout_TimeoutIsRetriedNotReportedAsCancel()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { ChunkGranularity = Granularity });
        harness.Emulator.AddFault(new EmulatorFault(FaultTarget.UploadQuery, FaultKind.Delay) { Delay = TimeSpan.FromSeconds(20) });
        harness.Emulator.AddFault(new EmulatorFault(FaultTarget.UploadChunk, FaultKind.Status) { Status = 500 });
        var api = harness.CreateApi(requestTimeout: TimeSpan.FromSeconds(1));
        var path = harness.Dir.File("photo.jpg", Granularity * 2);

        var clock = Stopwatch.StartNew();
        var session = await harness.CreateClient(api, multiplier: 1).UploadFilePathAsync("photo.jpg", path);

        await Assert.That(session.UploadToken).IsNotNull();
        // It gave up on the stalled query after its 1 s timeout and asked again, instead of waiting 20 s.
        await Assert.That(clock.Elapsed).IsBetween(TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(15));
        await Assert.That(harness.Emulator.Requests.Count(r => r.UploadCommand == "query")).IsGreaterThanOrEqualTo(1);
    }

    [Test]
    public async Task Api_RequestTimeout_ThrowsTimeoutException_AndCallerCancelThrowsCanceled()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        harness.Emulator.AddFault(new EmulatorFault(FaultTarget.UploadStart, FaultKind.Delay) { Delay = TimeSpan.FromSeconds(2), Count = 2 });
        var api = harness.CreateApi(requestTimeout: TimeSpan.FromMilliseconds(300));

        await Assert.That(() => api.InitUploadSessionAsync("image/jpeg", 10, "a.jpg")).Throws<TimeoutException>();

        var patient = harness.CreateApi(requestTimeout: TimeSpan.FromSeconds(30));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var canceled = await Assert.That(() => patient.InitUploadSessionAsync("image/jpeg", 10, "a.jpg", cts.Token)).Throws<OperationCanceledException>();
        await Assert.That(canceled).IsNotTypeOf<TimeoutException>();
    }

    [Test]
    public async Task Upload_ResumeCancelledSession_StartsOverWithNewSession()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { ChunkGranularity = Granularity });
        var path = harness.Dir.File("photo.jpg", Granularity * 8);
        var api = harness.CreateApi();
        var started = await api.InitUploadSessionAsync("image/jpeg", Granularity * 8, "photo.jpg");
        await api.CancelUploadAsync(started.UploadUrl!);
        var client = harness.CreateClient(api);

        var session = await client.UploadFileAsync("photo.jpg", path, new UploadFileOptions { ResumeUrl = started.UploadUrl, ResumeGranularity = Granularity });

        await Assert.That(session.UploadUrl).IsNotEqualTo(started.UploadUrl);
        await client.CreateMediaItemsFromUploadSessionsAsync(["photo.jpg"], [session]);
        await Assert.That(harness.ItemsWithContentOf(path).Count).IsEqualTo(1);
    }

    [Test]
    public async Task Upload_ResumeSavedSession_ContinuesFromServerOffsetWithoutResendingBytes()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { ChunkGranularity = Granularity });
        var path = harness.Dir.File("video.mp4", Granularity * 10 + 3);
        var api = harness.CreateApi();
        var started = await api.InitUploadSessionAsync("video/mp4", Granularity * 10 + 3, "video.mp4");
        using (var file = File.OpenHandle(path))
        {
            await api.UploadChunkAsync(started.UploadUrl!, UploadCommand.Upload, 0, new FileChunk(file, 0, Granularity * 4));
        }

        var sentBefore = harness.Emulator.Requests.Where(r => r.UploadCommand is { } c && c.Contains("upload")).Sum(r => r.ContentLength);
        var session = await harness.CreateClient(api).UploadFileAsync("video.mp4", path,
            new UploadFileOptions { ResumeUrl = started.UploadUrl, ResumeGranularity = Granularity });
        await harness.CreateClient(api).CreateMediaItemsFromUploadSessionsAsync(["video.mp4"], [session]);

        var sentTotal = harness.Emulator.Requests.Where(r => r.UploadCommand is { } c && c.Contains("upload")).Sum(r => r.ContentLength);
        await Assert.That(sentTotal).IsEqualTo(Granularity * 10 + 3);
        await Assert.That(sentBefore).IsEqualTo(Granularity * 4);
        await Assert.That(harness.ItemsWithContentOf(path).Count).IsEqualTo(1);
    }

    [Test]
    public async Task Upload_ChaosHeadersLowerCaseAndNoSizeReceived_StillCompletes()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions
        {
            ChunkGranularity = Granularity, LowerCaseHeaderNames = true, OmitSizeReceivedOnChunks = true,
        });
        var path = harness.Dir.File("photo.jpg", Granularity * 9 + 1);
        var client = harness.CreateClient(multiplier: 2);

        var session = await client.UploadFilePathAsync("photo.jpg", path);
        await client.CreateMediaItemsFromUploadSessionsAsync(["photo.jpg"], [session]);

        await Assert.That(harness.ItemsWithContentOf(path).Count).IsEqualTo(1);
    }

    [Test]
    public async Task Upload_RandomResetsAnd5xx_EveryFileArrivesOnceIntact()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions
        {
            ChunkGranularity = Granularity, ResetRate = 0.2, ServerErrorRate = 0.1, ChaosSeed = 7,
        });
        var retry = EmulatorHarness.FastRetry with { MaxAttempts = 30 };
        var client = new GooglePhotosClient(harness.CreateApi(), 2, retry);
        var paths = Enumerable.Range(0, 6).Select(i => harness.Dir.File($"f{i}.mp4", Granularity * (3 + i * 2) + i, seed: 100 + i)).ToList();

        var sessions = new List<ResumableUploadSession>();
        foreach (var path in paths) sessions.Add(await client.UploadFilePathAsync(Path.GetFileName(path), path));
        var responses = await client.CreateMediaItemsFromUploadSessionsAsync(paths.Select(Path.GetFileName).ToList()!, sessions);

        await Assert.That(responses.SelectMany(r => r.NewMediaItemResults!).All(r => r.Status!.IsOk)).IsTrue();
        foreach (var path in paths) await Assert.That(harness.ItemsWithContentOf(path).Count).IsEqualTo(1);
        await Assert.That(harness.Emulator.Requests.Count(r => r.Status == 0)).IsGreaterThan(0);
    }

    [Test]
    public async Task Upload_FileChangesWhileUploading_FailsCleanly()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { ChunkGranularity = Granularity });
        var path = harness.Dir.File("photo.jpg", Granularity * 8);
        var client = new GooglePhotosClient(harness.CreateApi(), 1, EmulatorHarness.FastRetry);
        var appended = false;
        var options = new UploadFileOptions
        {
            BytesConfirmed = offset =>
            {
                if (offset < Granularity * 2 || appended) return;
                appended = true;
                File.AppendAllText(path, "more");
            },
        };

        await Assert.That(() => client.UploadFileAsync("photo.jpg", path, options)).Throws<FileChangedException>();
        await Assert.That(harness.Emulator.MediaItems.Count).IsEqualTo(0);
    }
}
