using System.Diagnostics;
using System.Text.Json;
using Q2Google.Cli;
using Q2Google.Emulator;
using Q2Google.State;
using Q2Google.Tests.Infrastructure;
using Q2Google.Upload;

namespace Q2Google.Tests;

/// <summary>
/// The summary never lies: a journal that cannot be written stops the run at once (nothing uploaded is
/// forgotten), and the counts always add up to the files seen, with "not attempted" whenever a run stops early.
/// </summary>
public class HonestSummaryTests
{
    private static string StateDir(CliFixture cli) => Path.Combine(cli.Home, ".local", "state", "q2google");

    private static JsonElement Summary(CliResult result) => CliFixture.JsonLines(result).Last();

    private static async Task AssertAddsUpAsync(JsonElement summary, int seen)
    {
        int Count(string name) => summary.TryGetProperty(name, out var value) ? value.GetInt32() : 0;
        await Assert.That(summary.GetProperty("seen").GetInt32()).IsEqualTo(seen).Because(summary.ToString());
        await Assert.That(Count("uploaded") + Count("alreadyUploaded") + Count("skipped") + Count("failed") + Count("planned") + Count("notAttempted"))
            .IsEqualTo(seen).Because(summary.ToString());
    }

    [Test]
    public async Task JournalWriteFailure_StopsTheRunAtOnce_AndTheNextRunForgetsNothing()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { ResponseDelay = TimeSpan.FromMilliseconds(20) });
        var files = LibraryTree.Create(harness.Dir, "library", small: 40);
        var stateDir = harness.Dir.Combine("state");
        Directory.CreateDirectory(stateDir);
        var options = new UploadOptions { Concurrency = 4, BatchIdle = TimeSpan.FromMilliseconds(100) };
        var appends = 0;

        var (stopped, pipeline) = await RunAsync(harness, stateDir, options, () =>
            Interlocked.Increment(ref appends) > 45 ? new IOException("No space left on device", 28) : null);
        var itemsAfterFailure = harness.Emulator.MediaItems.Count;
        var (rerun, _) = await RunAsync(harness, stateDir, options, null);

        await Assert.That(stopped.Error).IsTypeOf<JournalWriteException>();
        await Assert.That(stopped.Error!.Message).Contains("No space left on device");
        await Assert.That(stopped.Error.Message).Contains("run the same command again");
        // It stopped at once: far from every file was tried.
        await Assert.That(stopped.Reports.Count).IsLessThan(files.Count);
        await Assert.That(pipeline.Seen - stopped.Reports.Count).IsGreaterThan(0);
        await Assert.That(rerun.Error).IsNull();
        await LibraryTree.AssertEachExactlyOnceAsync(harness, files, stateDir);
        await Assert.That(harness.Emulator.MediaItems.Count).IsGreaterThanOrEqualTo(itemsAfterFailure);
    }

    [Test]
    public async Task FullDiskUnderTheStateFolder_Exit1_OneLine_CountsAddUp_RerunCompletesWithoutDuplicates()
    {
        Skip.When(Environment.UserName != "root", "needs root to mount a small tmpfs as the state folder (CI runs as root)");
        await using var cli = await CliFixture.StartAsync();
        var state = cli.Dir.Combine("small-state");
        Directory.CreateDirectory(state);
        await MountAsync(state, "size=512k");
        try
        {
            var files = LibraryTree.Create(cli.Dir, "home/pics", small: 150);
            var first = await cli.RunAsync("upload", "pics/2000", "--state-dir", state);
            // Leave a few KB: the journal of 150 more files needs tens of KB.
            var filler = Path.Combine(state, "filler");
            var free = new DriveInfo(state).AvailableFreeSpace;
            await File.WriteAllBytesAsync(filler, new byte[Math.Max(0, free - 6 * 1024)]);

            var full = await cli.RunAsync("upload", "pics", "--state-dir", state, "--json");
            File.Delete(filler);
            var rerun = await cli.RunAsync("upload", "pics", "--state-dir", state, "--json");

            await Assert.That(first.ExitCode).IsEqualTo(0).Because(first.ToString());
            await Assert.That(full.ExitCode).IsEqualTo(1).Because(full.ToString());
            var error = full.Stderr.Split('\n').Single(l => l.Contains("cannot write the journal"));
            await Assert.That(error).Contains("No space left on device");
            await Assert.That(Summary(full).GetProperty("notAttempted").GetInt32()).IsGreaterThan(0).Because(full.Stdout);
            await AssertAddsUpAsync(Summary(full), files.Count);
            await Assert.That(rerun.ExitCode).IsEqualTo(0).Because(rerun.ToString());
            await LibraryTree.AssertEachExactlyOnceAsync(cli.Harness, files, state);
        }
        finally
        {
            await UnmountAsync(state);
        }
    }

    [Test]
    public async Task QuotaStop_CountsAddUp_WithNotAttempted_InJsonAndInWords()
    {
        await using var cli = await CliFixture.StartAsync(new EmulatorOptions { DailyQuota = 5 });
        var files = LibraryTree.Create(cli.Dir, "home/pics", small: 12);
        cli.Dir.Text("home/pics/notes.txt", "not a photo");

        var json = await cli.RunAsync("upload", "pics", "--json", "--concurrency", "1");
        var words = await cli.RunAsync("upload", "pics", "--concurrency", "1");

        await Assert.That(json.ExitCode).IsEqualTo(4).Because(json.ToString());
        await AssertAddsUpAsync(Summary(json), files.Count + 1);
        await Assert.That(Summary(json).GetProperty("notAttempted").GetInt32()).IsGreaterThan(0);
        await Assert.That(words.Stdout).Contains("not attempted (the run stopped early)");
        await Assert.That(words.Stdout).Contains("13 files: ");
    }

    [Test]
    public async Task CompleteRun_CountsAddUp_AlreadyUploadedHasItsOwnCount()
    {
        await using var cli = await CliFixture.StartAsync();
        var files = LibraryTree.Create(cli.Dir, "home/pics", small: 5);
        cli.Dir.Text("home/pics/IMG_0000.xmp", "<x/>");

        var first = await cli.RunAsync("upload", "pics", "--json");
        var second = await cli.RunAsync("upload", "pics", "--json");

        await AssertAddsUpAsync(Summary(first), 6);
        await AssertAddsUpAsync(Summary(second), 6);
        await Assert.That(Summary(second).GetProperty("alreadyUploaded").GetInt32()).IsEqualTo(5);
        await Assert.That(Summary(second).GetProperty("skipped").GetInt32()).IsEqualTo(1);
        await Assert.That(Summary(second).TryGetProperty("notAttempted", out _)).IsFalse();
        await LibraryTree.AssertEachExactlyOnceAsync(cli.Harness, files, StateDir(cli));
    }

    private sealed record Outcome(List<FileOutcome> Reports, Exception? Error);

    private static async Task<(Outcome, UploadRun)> RunAsync(EmulatorHarness harness, string stateDir, UploadOptions options, Func<IOException?>? fault)
    {
        var api = harness.CreateApi();
        var client = new GooglePhotosClient(api, retry: EmulatorHarness.FastRetry) { ChunkSize = options.ChunkSize, RawUploadLimit = options.RawUploadLimit };
        var reports = new List<FileOutcome>();
        using var journal = Journal.Open(stateDir);
        var pipeline = new UploadRun(api, client, journal, options, r => { lock (reports) reports.Add(r); }, new NoProgress(), TimeProvider.System, _ => { });
        Journal.WriteFaultHook = fault;
        try
        {
            await pipeline.RunAsync([harness.Dir.Combine("library")], CancellationToken.None);
            return (new Outcome(reports, null), pipeline);
        }
        catch (Exception e)
        {
            return (new Outcome(reports, e), pipeline);
        }
        finally
        {
            Journal.WriteFaultHook = null;
        }
    }

    private static async Task MountAsync(string path, string options)
    {
        using var mount = Process.Start("mount", ["-t", "tmpfs", "-o", options + ",mode=0700", "tmpfs", path])!;
        await mount.WaitForExitAsync();
        if (mount.ExitCode != 0) throw new InvalidOperationException($"mount tmpfs on {path} failed ({mount.ExitCode})");
    }

    private static async Task UnmountAsync(string path)
    {
        using var umount = Process.Start("umount", [path])!;
        await umount.WaitForExitAsync();
    }
}
