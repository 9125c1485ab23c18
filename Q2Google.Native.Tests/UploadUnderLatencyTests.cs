using Q2Google.Emulator;
using Q2Google.State;
using Q2Google.Tests.Infrastructure;
using Q2Google.Upload;

namespace Q2Google.Tests;

/// <summary>
/// The upload engine against a far server: more files in flight while that pays, byte uploads going on while the
/// batches are created, and batchCreate calls one at a time however slow they are.
/// </summary>
public class UploadUnderLatencyTests
{
    /// <summary>Upload requests as the emulator saw them arrive, to tell how many were in flight at once.</summary>
    private sealed class Arrivals
    {
        private readonly List<(DateTimeOffset At, string Path)> _seen = [];

        public Arrivals(PhotosEmulator emulator) => emulator.RequestArrived = (path, _) =>
        {
            lock (_seen) _seen.Add((DateTimeOffset.UtcNow, path));
        };

        public IReadOnlyList<DateTimeOffset> Of(string path)
        {
            lock (_seen) return [.. _seen.Where(s => s.Path == path).Select(s => s.At)];
        }
    }

    private static async Task RunAsync(EmulatorHarness harness, UploadOptions options)
    {
        var api = harness.CreateApi();
        var client = new GooglePhotosClient(api, retry: EmulatorHarness.FastRetry) { ChunkSize = options.ChunkSize, RawUploadLimit = options.RawUploadLimit };
        var stateDir = harness.Dir.Combine("state");
        Directory.CreateDirectory(stateDir);
        using var journal = Journal.Open(stateDir);
        var pipeline = new UploadRun(api, client, journal, options, _ => { }, new NoProgress(), TimeProvider.System, _ => { });
        await pipeline.RunAsync([harness.Dir.Combine("library")], CancellationToken.None);
    }

    [Test]
    public async Task AtHighLatency_MoreFilesSendAtOnce_ThanTheRunStartsWith_NeverMoreThanTheMost()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { ResponseDelay = TimeSpan.FromMilliseconds(300) });
        var arrivals = new Arrivals(harness.Emulator);
        var files = LibraryTree.Create(harness.Dir, "library", small: 80);
        var options = new UploadOptions { Concurrency = 12, BatchIdle = TimeSpan.FromMilliseconds(200) };

        await RunAsync(harness, options);

        var started = arrivals.Of("/v1/uploads");
        var answered = harness.Emulator.Requests.Where(r => r.Path == "/v1/uploads").Select(r => r.Time).ToList();
        var mostAtOnce = started.Max(at => started.Count(a => a <= at) - answered.Count(t => t < at));
        await Assert.That(options.InitialConcurrency).IsEqualTo(4);
        await Assert.That(mostAtOnce).IsGreaterThan(options.InitialConcurrency);
        await Assert.That(mostAtOnce).IsLessThanOrEqualTo(options.Concurrency);
        await LibraryTree.AssertEachExactlyOnceAsync(harness, files, harness.Dir.Combine("state"));
    }

    [Test]
    public async Task SlowBatchCreates_NeverOverlap_AndTheFirstGoesWhileBytesAreStillGoingUp()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions
        {
            ResponseDelay = TimeSpan.FromMilliseconds(100), BatchCreateDelay = TimeSpan.FromMilliseconds(300), FailConcurrentBatchCreate = true,
        });
        var arrivals = new Arrivals(harness.Emulator);
        var files = LibraryTree.Create(harness.Dir, "library", small: 130);

        await RunAsync(harness, new UploadOptions { BatchIdle = TimeSpan.FromMilliseconds(200) });

        var creates = harness.Emulator.Requests.Where(r => r.Path == "/v1/mediaItems:batchCreate").ToList();
        var lastUpload = harness.Emulator.Requests.Where(r => r.Path == "/v1/uploads").Max(r => r.Time);
        await Assert.That(creates.Select(c => c.Status)).All().Satisfy(s => s.IsEqualTo(200));
        // 50, 50 and 30: a full batch goes as soon as it is full, the rest when no bytes are on their way.
        await Assert.That(creates.Count).IsEqualTo(3);
        await Assert.That(arrivals.Of("/v1/mediaItems:batchCreate")[0]).IsLessThan(lastUpload);
        await LibraryTree.AssertEachExactlyOnceAsync(harness, files, harness.Dir.Combine("state"));
    }
}
