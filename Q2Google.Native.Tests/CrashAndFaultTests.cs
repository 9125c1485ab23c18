using Q2Google.Cli;
using Q2Google.Emulator;
using Q2Google.Failures;
using Q2Google.Http;
using Q2Google.State;
using Q2Google.Tests.Infrastructure;
using Q2Google.Upload;

namespace Q2Google.Tests;

/// <summary>
/// The promises that matter most: whatever happens to a run (kill -9 at any instant, a lost answer, a server
/// that fails at random), the next run finishes the job with every file in the library exactly once.
/// </summary>
public class CrashAndFaultTests
{
    private static Dictionary<string, string?> Env(CliFixture cli) => new() { ["Q2GOOGLE_API_URL"] = cli.Emulator.BaseUrl.AbsoluteUri };

    private static string StateDir(CliFixture cli) => Path.Combine(cli.Home, ".local", "state", "q2google");

    [Test]
    public async Task KillMinus9AtRandomMoments_ThenRerun_EveryFileExactlyOnceWithItsBytes()
    {
        await using var cli = await CliFixture.StartAsync(new EmulatorOptions
        {
            ChunkGranularity = 64 * 1024, ResponseDelay = TimeSpan.FromMilliseconds(50),
        });
        var files = LibraryTree.Create(cli.Dir, "home/library", small: 24, large: 3, largeSize: 450_000);
        var seed = Environment.TickCount;
        var random = new Random(seed);
        string[] args = ["upload", "library", "--chunk-size", "64K", "--concurrency", "3", "--album", "Library"];
        var kills = 0;

        for (var round = 0; round < 10; round++)
        {
            using var run = new CliProcess(cli.Home, args, Env(cli));
            // Anywhere from start-up to the last batch: a full run takes about two seconds at this latency.
            await Task.Delay(random.Next(100, 1500));
            run.Kill();
            var killed = await run.WaitForExitAsync();
            if (killed.ExitCode == 0) break;
            kills++;
        }

        var final = await cli.RunAsync([.. args, "--json"], Env(cli));

        await Assert.That(final.ExitCode).IsEqualTo(0).Because($"seed {seed}, {kills} kills\n{final}");
        await LibraryTree.AssertEachExactlyOnceAsync(cli.Harness, files, StateDir(cli));
        await Assert.That(cli.Emulator.Albums.Count).IsEqualTo(1).Because($"seed {seed}: the album must be created once");
        await Assert.That(cli.Emulator.Albums[0].MediaItemIds.Count).IsEqualTo(files.Count);
        await Assert.That(kills).IsGreaterThan(0);
    }

    [Test]
    public async Task KilledAfterGoogleCreatedTheItems_BeforeTheJournalHeard_RerunMakesNoDuplicate()
    {
        await using var cli = await CliFixture.StartAsync(new EmulatorOptions { DeduplicateIdenticalBytes = true });
        var files = LibraryTree.Create(cli.Dir, "home/pics", small: 5);
        // Google creates the items, then the answer is slow to come back: the window a crash can fall into.
        cli.Emulator.AddFault(new EmulatorFault(FaultTarget.BatchCreate, FaultKind.DelayAnswer) { Delay = TimeSpan.FromSeconds(30) });
        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cli.Emulator.RequestArrived = (path, _) =>
        {
            if (path == "/v1/mediaItems:batchCreate") created.TrySetResult();
        };
        using (var run = new CliProcess(cli.Home, ["upload", "pics"], Env(cli)))
        {
            await created.Task.WaitAsync(TimeSpan.FromSeconds(60));
            while (cli.Emulator.MediaItems.Count < files.Count) await Task.Delay(20);
            run.Kill();
            await run.WaitForExitAsync();
        }

        var ids = cli.Emulator.MediaItems.Select(m => m.Id).Order().ToArray();
        using (var before = Journal.ReadOnly(StateFolders.JournalFolder(StateDir(cli))))
        {
            await Assert.That(before.AllContents().Count(c => c.IsCreated)).IsEqualTo(0);
            await Assert.That(before.AllContents().Count(c => c.Token is not null)).IsEqualTo(files.Count);
        }

        var rerun = await cli.RunAsync(["upload", "pics", "--json"], Env(cli));

        await Assert.That(rerun.ExitCode).IsEqualTo(0).Because(rerun.ToString());
        await LibraryTree.AssertEachExactlyOnceAsync(cli.Harness, files, StateDir(cli));
        await Assert.That(cli.Emulator.MediaItems.Select(m => m.Id).Order().ToArray()).IsEquivalentTo(ids);
    }

    [Test]
    public async Task FaultMix_ResetsServerErrors429sAndItemFailures_EveryFileExactlyOnce()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions
        {
            ChunkGranularity = 16 * 1024, ResetRate = 0.15, ServerErrorRate = 0.1, RateLimitRate = 0.05,
            RetryAfterOnRateLimit = TimeSpan.FromMilliseconds(10), ChaosSeed = 42,
        });
        harness.Emulator.AddFault(new EmulatorFault(FaultTarget.BatchCreate, FaultKind.PartialBatchFailure) { ItemIndexes = [0, 3], ItemCode = 13, Count = 2 });
        var files = LibraryTree.Create(harness.Dir, "library", small: 30, large: 4, largeSize: 200_000);
        var stateDir = harness.Dir.Combine("state");
        var retry = EmulatorHarness.FastRetry with { MaxAttempts = 40 };
        var options = new UploadOptions { ChunkSize = 32 * 1024, Concurrency = 4, Album = "Chaos", BatchIdle = TimeSpan.FromMilliseconds(200) };

        var first = await RunPipelineAsync(harness, stateDir, harness.Dir.Combine("library"), options, retry);
        // Whatever the chaos left undone (a file whose retries ran out) the next run does.
        var second = first.Any(r => r.Status == OutcomeStatus.Failed) ? await RunPipelineAsync(harness, stateDir, harness.Dir.Combine("library"), options, retry) : [];

        await LibraryTree.AssertEachExactlyOnceAsync(harness, files, stateDir);
        await Assert.That(second.All(r => r.Status is OutcomeStatus.Uploaded or OutcomeStatus.AlreadyUploaded)).IsTrue();
        await Assert.That(harness.Emulator.Requests.Count(r => r.Status == 0)).IsGreaterThan(0);
        await Assert.That(harness.Emulator.Requests.Count(r => r.Status is 500 or 503)).IsGreaterThan(0);
        await Assert.That(harness.Emulator.Albums.Single().MediaItemIds.Count).IsEqualTo(files.Count);
    }

    private static async Task<List<FileOutcome>> RunPipelineAsync(EmulatorHarness harness, string stateDir, string path, UploadOptions options, RetryOptions retry)
    {
        var api = harness.CreateApi();
        var client = new GooglePhotosClient(api, retry: retry) { ChunkSize = options.ChunkSize, RawUploadLimit = options.RawUploadLimit };
        Directory.CreateDirectory(stateDir);
        using var journal = Journal.Open(stateDir);
        var reports = new List<FileOutcome>();
        var pipeline = new UploadRun(api, client, journal, options, r => { lock (reports) reports.Add(r); }, new NoProgress(), TimeProvider.System, _ => { });
        await pipeline.RunAsync([path], CancellationToken.None);
        return reports;
    }
}
