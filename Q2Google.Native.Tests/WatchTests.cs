using System.Diagnostics;
using System.Text.Json;
using Q2Google.Tests.Infrastructure;

namespace Q2Google.Tests;

/// <summary>
/// <c>upload --watch</c> over real inotify and real loopback HTTP: what appears is uploaded once it has settled,
/// a slowly written file only when complete, a rename is recognised by content, a deletion deletes nothing at
/// Google, a tree with more folders than watches is still served (by rescans), and SIGTERM ends it in 5 s.
/// </summary>
public class WatchTests
{
    private static CliProcess Watch(CliFixture cli, IEnumerable<string> args, Dictionary<string, string?>? environment = null)
    {
        var env = new Dictionary<string, string?> { ["Q2GOOGLE_API_URL"] = cli.Emulator.BaseUrl.AbsoluteUri };
        foreach (var (key, value) in environment ?? []) env[key] = value;
        // The PATH absolute, so records name files as the test does.
        return new CliProcess(cli.Home, ["upload", "--watch", "--json", .. args, Path.Combine(cli.Home, "pics")], env);
    }

    /// <summary>The file records the run has printed for <paramref name="path"/> so far.</summary>
    private static List<JsonElement> RecordsFor(CliProcess run, string path) =>
        run.StdoutSoFar.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .Where(r => r.GetProperty("type").GetString() == "file" && r.GetProperty("path").GetString() == path).ToList();

    private static async Task<JsonElement> WaitForRecordAsync(CliProcess run, string path, TimeSpan? timeout = null)
    {
        var line = await run.WaitForStdoutLineAsync(l => l.Contains($"\"path\":\"{path}\"", StringComparison.Ordinal), timeout ?? TimeSpan.FromSeconds(30));
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    [Test]
    public async Task NewFiles_AreUploadedOnceSettled_AndAFolderWithItsFile_Once()
    {
        await using var cli = await CliFixture.StartAsync();
        var first = cli.Dir.File("home/pics/first.jpg", 20_000, seed: 1);
        using var run = Watch(cli, ["--settle", "1s"]);
        await WaitForRecordAsync(run, first);
        await run.WaitForStderrLineAsync(l => l.Contains("watching for changes", StringComparison.Ordinal));

        var added = cli.Dir.File("home/pics/added.jpg", 30_000, seed: 2);
        var nested = cli.Dir.File("home/pics/2026/12/nested.jpg", 40_000, seed: 3);
        var addedRecord = await WaitForRecordAsync(run, added);
        var nestedRecord = await WaitForRecordAsync(run, nested);
        // One more settle for any duplicate to show.
        await Task.Delay(2500);
        run.Signal(15);
        var stopped = await run.WaitForExitAsync(TimeSpan.FromSeconds(10));

        await Assert.That(addedRecord.GetProperty("status").GetString()).IsEqualTo("uploaded").Because(stopped.ToString());
        await Assert.That(nestedRecord.GetProperty("status").GetString()).IsEqualTo("uploaded");
        await Assert.That(RecordsFor(run, nested).Count).IsEqualTo(1).Because("a new folder and the file in it are one change: " + stopped);
        await Assert.That(cli.ItemsFor(added)).IsEqualTo(1);
        await Assert.That(cli.ItemsFor(nested)).IsEqualTo(1);
        await Assert.That(cli.Emulator.MediaItems.Count).IsEqualTo(3);
    }

    [Test]
    public async Task AFileWrittenSlowly_IsUploadedOnceComplete_NotHalfWritten()
    {
        await using var cli = await CliFixture.StartAsync();
        cli.Dir.File("home/pics/first.jpg", 10_000, seed: 1);
        using var run = Watch(cli, ["--settle", "2s"]);
        await run.WaitForStderrLineAsync(l => l.Contains("watching for changes", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        // A phone-sync app: a JPEG arriving 64 KiB every 0.5 s, 4 s in all, longer than --settle.
        var complete = cli.Dir.File("staging/slow.jpg", 8 * 64 * 1024, seed: 7);
        var bytes = await File.ReadAllBytesAsync(complete);
        var slow = cli.Dir.Combine("home", "pics", "slow.jpg");
        await using (var stream = new FileStream(slow, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite))
        {
            for (var offset = 0; offset < bytes.Length; offset += 64 * 1024)
            {
                await stream.WriteAsync(bytes.AsMemory(offset, 64 * 1024));
                await stream.FlushAsync();
                await Task.Delay(500);
            }
        }

        var record = await WaitForRecordAsync(run, slow);
        await Task.Delay(3000);
        run.Signal(15);
        var stopped = await run.WaitForExitAsync(TimeSpan.FromSeconds(10));

        await Assert.That(record.GetProperty("status").GetString()).IsEqualTo("uploaded").Because(stopped.ToString());
        await Assert.That(record.GetProperty("bytes").GetInt64()).IsEqualTo(bytes.Length);
        await Assert.That(cli.ItemsFor(slow)).IsEqualTo(1).Because("the item holds the whole file's bytes");
        await Assert.That(RecordsFor(run, slow).Count).IsEqualTo(1);
        await Assert.That(cli.Emulator.MediaItems.Count).IsEqualTo(2).Because("no item was made from part of the file: " + stopped);
    }

    [Test]
    public async Task ARename_IsKnownByContent_AndADeletion_DeletesNothingAtGoogle()
    {
        await using var cli = await CliFixture.StartAsync();
        var before = cli.Dir.File("home/pics/before.jpg", 25_000, seed: 4);
        var doomed = cli.Dir.File("home/pics/doomed.jpg", 25_000, seed: 5);
        using var run = Watch(cli, ["--settle", "1s"]);
        await WaitForRecordAsync(run, before);
        await WaitForRecordAsync(run, doomed);
        await run.WaitForStderrLineAsync(l => l.Contains("watching for changes", StringComparison.Ordinal));
        var requests = cli.Emulator.MediaItems.Count;

        var after = cli.Dir.Combine("home", "pics", "after.jpg");
        File.Move(before, after);
        File.Delete(doomed);
        var renamed = await WaitForRecordAsync(run, after);
        await Task.Delay(2500);
        run.Signal(15);
        var stopped = await run.WaitForExitAsync(TimeSpan.FromSeconds(10));

        await Assert.That(renamed.GetProperty("status").GetString()).IsEqualTo("already-uploaded").Because(stopped.ToString());
        await Assert.That(cli.Emulator.MediaItems.Count).IsEqualTo(requests).Because("nothing new was made and nothing was deleted");
        await Assert.That(RecordsFor(run, doomed).Count).IsEqualTo(1).Because("a deleted file gets no record beyond its upload");
    }

    [Test]
    public async Task MoreFoldersThanWatches_SaysSoOnce_AndARescanFindsWhatTheWatchCannotSee()
    {
        await using var cli = await CliFixture.StartAsync();
        foreach (var folder in new[] { "a", "b", "c", "d", "e" }) cli.Dir.File($"home/pics/{folder}/seed.jpg", 5_000, seed: folder[0]);
        using var run = Watch(cli, ["--settle", "1s", "--rescan", "2s"], new() { ["Q2GOOGLE_MAX_WATCHES"] = "2" });
        await run.WaitForStderrLineAsync(l => l.Contains("watching for changes", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        // Folders are watched in walk order: pics and pics/a at most; pics/e is one the watch cannot see.
        var unseen = cli.Dir.File("home/pics/e/late.jpg", 15_000, seed: 9);
        var record = await WaitForRecordAsync(run, unseen, TimeSpan.FromSeconds(30));
        await Task.Delay(2500);
        run.Signal(15);
        var stopped = await run.WaitForExitAsync(TimeSpan.FromSeconds(10));

        await Assert.That(record.GetProperty("status").GetString()).IsEqualTo("uploaded").Because(stopped.ToString());
        var limitNotes = stopped.Stderr.Split('\n').Count(l => l.Contains("watch", StringComparison.Ordinal) && l.Contains("rescan", StringComparison.OrdinalIgnoreCase));
        await Assert.That(limitNotes).IsEqualTo(1).Because("the limit is said once: " + stopped.Stderr);
        await Assert.That(cli.ItemsFor(unseen)).IsEqualTo(1);
    }

    [Test]
    public async Task Sigterm_EndsAWatch_Within5Seconds_AndStatusNoLongerSaysItIsServed()
    {
        await using var cli = await CliFixture.StartAsync();
        // Written an hour ago: settled, so the first pass takes it.
        File.SetLastWriteTimeUtc(cli.Dir.File("home/pics/one.jpg", 10_000), DateTime.UtcNow.AddHours(-1));
        using var run = Watch(cli, []);
        await run.WaitForStdoutLineAsync(l => l.Contains("\"type\":\"summary\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var healthy = await cli.RunAsync("status", "--health");

        var clock = Stopwatch.StartNew();
        run.Signal(15);
        var stopped = await run.WaitForExitAsync(TimeSpan.FromSeconds(10));
        var took = clock.Elapsed;
        var status = await cli.RunAsync("status", "--json");

        await Assert.That(healthy.ExitCode).IsEqualTo(0).Because(healthy.ToString());
        await Assert.That(stopped.ExitCode).IsEqualTo(130).Because(stopped.ToString());
        await Assert.That(took).IsLessThan(TimeSpan.FromSeconds(5));
        var job = JsonDocument.Parse(status.Stdout).RootElement.GetProperty("jobs")[0];
        await Assert.That(job.GetProperty("job").GetString()).IsEqualTo("upload");
        await Assert.That(job.GetProperty("watching").GetBoolean()).IsFalse().Because(status.Stdout);
        await Assert.That(job.GetProperty("uploaded").GetInt32()).IsEqualTo(1);
    }
}
