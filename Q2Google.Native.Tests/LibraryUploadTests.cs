using System.Text.Json;
using Q2Google.Emulator;
using Q2Google.State;
using Q2Google.Tests.Infrastructure;
using Q2Google.Upload;

namespace Q2Google.Tests;

/// <summary>`upload` over folders, as the real executable: journal, exactly-once, albums, quota, interruption.</summary>
public class LibraryUploadTests
{
    private static string StateDir(CliFixture cli) => Path.Combine(cli.Home, ".local", "state", "q2google");

    private static JsonElement Summary(CliResult result) => CliFixture.JsonLines(result).Last();

    private static Dictionary<string, JsonElement> Files(CliResult result) =>
        CliFixture.JsonLines(result).Where(l => l.GetProperty("type").GetString() == "file").ToDictionary(l => l.GetProperty("path").GetString()!);

    [Test]
    public async Task Folder_EachFileOnce_SecondRunDecidesNothingToDoWithoutRequests()
    {
        await using var cli = await CliFixture.StartAsync();
        var files = LibraryTree.Create(cli.Dir, "home/library", small: 12, large: 2);
        File.Copy(files[0], cli.Dir.Combine("home", "library", "copy-of-first.jpg"));
        cli.Dir.Text("home/library/2000/IMG_0000.xmp", "<x:xmpmeta/>");
        cli.Dir.Text("home/library/readme.txt", "not a photo");

        var first = await cli.RunAsync("upload", "library", "--json", "--chunk-size", "256K");
        var requests = cli.Emulator.RequestsToday;
        var second = await cli.RunAsync("upload", "library", "--json", "--chunk-size", "256K");

        await Assert.That(first.ExitCode).IsEqualTo(0).Because(first.ToString());
        await LibraryTree.AssertEachExactlyOnceAsync(cli.Harness, files, StateDir(cli));
        var statuses = Files(first);
        await Assert.That(statuses["library/2000/IMG_0000.xmp"].GetProperty("reason").GetString()).IsEqualTo("sidecar");
        await Assert.That(statuses["library/readme.txt"].GetProperty("reason").GetString()).IsEqualTo("unsupported-type");
        // Two files, one content: whichever came first was uploaded, the other maps to the same media item.
        var pair = new[] { statuses["library/copy-of-first.jpg"], statuses["library/2000/IMG_0000.jpg"] };
        await Assert.That(pair.Select(f => f.GetProperty("status").GetString()!).Order().ToArray()).IsEquivalentTo(new[] { "already-uploaded", "uploaded" });
        await Assert.That(pair[0].GetProperty("mediaItemId").GetString()).IsEqualTo(pair[1].GetProperty("mediaItemId").GetString());
        await Assert.That(Summary(first).GetProperty("uploaded").GetInt32()).IsEqualTo(14);
        // 12 small files in one raw request each, 2 videos in start + 5 chunks each, one batchCreate: 12 + 12 + 1.
        await Assert.That(requests).IsEqualTo(25);
        await Assert.That(second.ExitCode).IsEqualTo(0).Because(second.ToString());
        await Assert.That(cli.Emulator.RequestsToday).IsEqualTo(requests);
        await Assert.That(Summary(second).GetProperty("requests").GetInt64()).IsEqualTo(0);
        await Assert.That(Files(second).Values.Count(f => f.GetProperty("status").GetString() == "already-uploaded")).IsEqualTo(15);
    }

    [Test]
    public async Task RenamedMovedAndRemountedFiles_AreAlreadyUploaded()
    {
        await using var cli = await CliFixture.StartAsync();
        var files = LibraryTree.Create(cli.Dir, "home/share", small: 6);
        var first = await cli.RunAsync("upload", "share");
        var requests = cli.Emulator.RequestsToday;

        File.Move(files[0], cli.Dir.Combine("home", "share", "2000", "renamed.jpg"));
        Directory.CreateDirectory(cli.Dir.Combine("home", "share", "moved"));
        File.Move(files[1], cli.Dir.Combine("home", "share", "moved", "IMG_0001.jpg"));
        // The NAS share mounted somewhere else: every path differs, every byte is the same.
        CopyTree(cli.Dir.Combine("home", "share"), cli.Dir.Combine("home", "mnt", "photos"));
        var second = await cli.RunAsync("upload", "share", "mnt/photos", "--json");

        await Assert.That(first.ExitCode).IsEqualTo(0).Because(first.ToString());
        await Assert.That(second.ExitCode).IsEqualTo(0).Because(second.ToString());
        await Assert.That(Files(second).Values.All(f => f.GetProperty("status").GetString() == "already-uploaded")).IsTrue().Because(second.Stdout);
        await Assert.That(Files(second).Count).IsEqualTo(12);
        await Assert.That(cli.Emulator.RequestsToday).IsEqualTo(requests);
        await LibraryTree.AssertEachExactlyOnceAsync(cli.Harness, Directory.GetFiles(cli.Dir.Combine("home", "mnt"), "*", SearchOption.AllDirectories));
    }

    [Test]
    public async Task TornLastJournalLine_RunCompletesAndRepairsIt()
    {
        await using var cli = await CliFixture.StartAsync();
        var files = LibraryTree.Create(cli.Dir, "home/pics", small: 3);
        await cli.RunAsync("upload", "pics");
        await File.AppendAllTextAsync(Path.Combine(StateFolders.JournalFolder(StateDir(cli)), Journal.FileName), """{"k":"created","h":"deadbeef","id":"AHALFWRI""");
        files.AddRange(LibraryTree.Create(cli.Dir, "home/pics/more", small: 2, seed: 50));

        var result = await cli.RunAsync("upload", "pics");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(result.Stderr).Contains("half-written line");
        await LibraryTree.AssertEachExactlyOnceAsync(cli.Harness, files, StateDir(cli));
        using var journal = Journal.ReadOnly(StateFolders.JournalFolder(StateDir(cli)));
        await Assert.That(journal.DroppedTornLastLine).IsFalse();
        await Assert.That(journal.UnreadableLines).IsEqualTo(0);
    }

    [Test]
    public async Task SecondConcurrentRun_IsRefusedWithClearMessage_Exit2()
    {
        await using var cli = await CliFixture.StartAsync(new EmulatorOptions { ResponseDelay = TimeSpan.FromMilliseconds(300) });
        var files = LibraryTree.Create(cli.Dir, "home/pics", small: 8);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cli.Emulator.RequestArrived = (_, _) => arrived.TrySetResult();
        using var first = new CliProcess(cli.Home, ["upload", "pics", "--concurrency", "1"],
            new Dictionary<string, string?> { ["Q2GOOGLE_API_URL"] = cli.Emulator.BaseUrl.AbsoluteUri });

        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var second = await cli.RunAsync("upload", "pics");
        var done = await first.WaitForExitAsync();

        await Assert.That(second.ExitCode).IsEqualTo(2).Because(second.ToString());
        await Assert.That(second.Stderr).Contains("another q2google run is using this library's state");
        await Assert.That(second.Stderr).Contains("pid ");
        await Assert.That(done.ExitCode).IsEqualTo(0).Because(done.ToString());
        await LibraryTree.AssertEachExactlyOnceAsync(cli.Harness, files, StateDir(cli));
    }

    [Test]
    public async Task DailyQuota_StopsWithExit4_RerunTomorrowCompletes_NoByteSentTwice()
    {
        await using var cli = await CliFixture.StartAsync(new EmulatorOptions { DailyQuota = 7 });
        var files = LibraryTree.Create(cli.Dir, "home/pics", small: 10);

        var stopped = await cli.RunAsync("upload", "pics", "--json", "--concurrency", "1");
        cli.Emulator.Options = cli.Emulator.Options with { DailyQuota = 10_000 };
        var resumed = await cli.RunAsync("upload", "pics", "--json");

        await Assert.That(stopped.ExitCode).IsEqualTo(4).Because(stopped.ToString());
        await Assert.That(stopped.Stderr).Contains("daily quota");
        await Assert.That(Summary(stopped).GetProperty("stopped").GetString()).Contains("daily quota");
        await Assert.That(resumed.ExitCode).IsEqualTo(0).Because(resumed.ToString());
        await LibraryTree.AssertEachExactlyOnceAsync(cli.Harness, files, StateDir(cli));
        var rawUploads = cli.Emulator.Requests.Count(r => r.Path == "/v1/uploads" && r.Status == 200);
        await Assert.That(rawUploads).IsEqualTo(files.Count);
    }

    [Test]
    public async Task MaxRequests_StopsCleanlyWithExit4_ThenRerunFinishes()
    {
        await using var cli = await CliFixture.StartAsync();
        var files = LibraryTree.Create(cli.Dir, "home/pics", small: 6);

        var stopped = await cli.RunAsync("upload", "pics", "--max-requests", "3", "--concurrency", "1");
        var sent = cli.Emulator.RequestsToday;
        var resumed = await cli.RunAsync("upload", "pics");

        await Assert.That(stopped.ExitCode).IsEqualTo(4).Because(stopped.ToString());
        await Assert.That(stopped.Stderr).Contains("--max-requests");
        await Assert.That(sent).IsEqualTo(3);
        await Assert.That(resumed.ExitCode).IsEqualTo(0).Because(resumed.ToString());
        await LibraryTree.AssertEachExactlyOnceAsync(cli.Harness, files, StateDir(cli));
    }

    [Test]
    public async Task AlbumRollOver_BeforeTheLimit_ContinuesInNumberedAlbums_AndRerunAddsNothing()
    {
        await using var cli = await CliFixture.StartAsync(new EmulatorOptions { AlbumItemLimit = 3 });
        var files = LibraryTree.Create(cli.Dir, "home/trip", small: 7);
        var env = new Dictionary<string, string?> { ["Q2GOOGLE_ALBUM_ITEM_LIMIT"] = "3" };

        var result = await cli.RunAsync(["upload", "trip", "--album", "Trip", "--json"], env);
        var again = await cli.RunAsync(["upload", "trip", "--album", "Trip", "--json"], env);

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        var albums = cli.Emulator.Albums.OrderBy(a => a.Title).ToList();
        await Assert.That(albums.Select(a => a.Title).ToArray()).IsEquivalentTo(new[] { "Trip", "Trip (2)", "Trip (3)" });
        await Assert.That(albums.Select(a => a.MediaItemIds.Count).ToArray()).IsEquivalentTo(new[] { 3, 3, 1 });
        await Assert.That(result.Stderr).Contains("continuing in \"Trip (2)\"");
        await Assert.That(again.ExitCode).IsEqualTo(0).Because(again.ToString());
        await Assert.That(cli.Emulator.Albums.Count).IsEqualTo(3);
        await LibraryTree.AssertEachExactlyOnceAsync(cli.Harness, files, StateDir(cli));
    }

    [Test]
    public async Task AlbumPerFolder_TitlesByFolderPath_AndKnownFilesAreAddedToANewAlbum()
    {
        await using var cli = await CliFixture.StartAsync();
        cli.Dir.File("home/photos/top.jpg", 100, 1);
        cli.Dir.File("home/photos/2019/summer/a.jpg", 200, 2);
        cli.Dir.File("home/photos/2019/summer/b.jpg", 300, 3);
        cli.Dir.File("home/photos/2020/c.jpg", 400, 4);

        var perFolder = await cli.RunAsync("upload", "photos", "--album-per-folder");
        var albums = cli.Emulator.Albums.ToDictionary(a => a.Title, a => a.MediaItemIds.Count);
        var intoOne = await cli.RunAsync("upload", "photos", "--album", "Everything", "--json");

        await Assert.That(perFolder.ExitCode).IsEqualTo(0).Because(perFolder.ToString());
        await Assert.That(albums["photos"]).IsEqualTo(1);
        await Assert.That(albums["2019/summer"]).IsEqualTo(2);
        await Assert.That(albums["2020"]).IsEqualTo(1);
        await Assert.That(intoOne.ExitCode).IsEqualTo(0).Because(intoOne.ToString());
        await Assert.That(albums.ContainsKey("Everything")).IsFalse();
        await Assert.That(cli.Emulator.Albums.Single(a => a.Title == "Everything").MediaItemIds.Count).IsEqualTo(4);
        await Assert.That(Files(intoOne).Values.All(f => f.GetProperty("status").GetString() == "already-uploaded")).IsTrue();
        await Assert.That(cli.Emulator.MediaItems.Count).IsEqualTo(4);
    }

    [Test]
    public async Task UnsupportedOversizedEmptyFiles_SkippedWithReasons_BeforeAnyByteIsSent()
    {
        await using var cli = await CliFixture.StartAsync();
        var good = cli.Dir.File("home/pics/good.jpg", 1000);
        cli.Dir.File("home/pics/empty.jpg", 0);
        cli.Dir.Text("home/pics/page.jpg", "<!doctype html><title>404</title>");
        var huge = cli.Dir.File("home/pics/panorama.jpg", 100);
        using (var stream = File.OpenWrite(huge)) stream.SetLength(200_000_001);

        var result = await cli.RunAsync("upload", "pics", "--json");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        var files = Files(result);
        await Assert.That(files["pics/empty.jpg"].GetProperty("reason").GetString()).IsEqualTo("empty-file");
        await Assert.That(files["pics/page.jpg"].GetProperty("reason").GetString()).IsEqualTo("unsupported-type");
        await Assert.That(files["pics/panorama.jpg"].GetProperty("reason").GetString()).IsEqualTo("too-large");
        await Assert.That(result.Stderr).Contains("over Google's limit of 200 MB for photos");
        await Assert.That(cli.Emulator.Requests.Count(r => r.Path == "/v1/uploads")).IsEqualTo(1);
        await Assert.That(cli.ItemsFor(good)).IsEqualTo(1);
    }

    [Test]
    public async Task FileChangingWhileItUploads_FailsCleanly_AndGoesUpNextRun()
    {
        await using var cli = await CliFixture.StartAsync(new EmulatorOptions { ResponseDelay = TimeSpan.FromSeconds(1) });
        var photo = cli.Dir.File("home/pics/busy.jpg", 5000, 1);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cli.Emulator.RequestArrived = (path, protocol) =>
        {
            if (path == "/v1/uploads") arrived.TrySetResult();
        };
        using var running = new CliProcess(cli.Home, ["upload", "pics", "--json"],
            new Dictionary<string, string?> { ["Q2GOOGLE_API_URL"] = cli.Emulator.BaseUrl.AbsoluteUri });

        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await File.AppendAllTextAsync(photo, "an editor saved it again");
        var first = await running.WaitForExitAsync();
        var itemsAfterFirst = cli.Emulator.MediaItems.Count;
        cli.Emulator.Options = cli.Emulator.Options with { ResponseDelay = TimeSpan.Zero };
        var second = await cli.RunAsync("upload", "pics", "--json");

        await Assert.That(first.ExitCode).IsEqualTo(1).Because(first.ToString());
        await Assert.That(Files(first)["pics/busy.jpg"].GetProperty("reason").GetString()).IsEqualTo(FileSnapshot.ChangedReason);
        await Assert.That(itemsAfterFirst).IsEqualTo(0);
        await Assert.That(second.ExitCode).IsEqualTo(0).Because(second.ToString());
        await Assert.That(cli.ItemsFor(photo)).IsEqualTo(1);
    }

    [Test]
    public async Task DryRun_PlansWithRequestEstimate_AndSendsNothing()
    {
        await using var cli = await CliFixture.StartAsync();
        LibraryTree.Create(cli.Dir, "home/pics", small: 5, large: 1, largeSize: 600_000);

        var result = await cli.RunAsync("upload", "pics", "--dry-run", "--json", "--chunk-size", "256K");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(cli.Emulator.Requests.Count).IsEqualTo(0);
        await Assert.That(Files(result).Values.All(f => f.GetProperty("status").GetString() == "planned")).IsTrue();
        var summary = Summary(result);
        await Assert.That(summary.GetProperty("planned").GetInt32()).IsEqualTo(6);
        // 5 raw uploads, a 600 kB video in start + 3 chunks, one batchCreate.
        await Assert.That(summary.GetProperty("estimatedRequests").GetInt64()).IsEqualTo(10);
        await Assert.That(Directory.Exists(StateDir(cli))).IsFalse();
    }

    [Test]
    public async Task IncludeExclude_Repeatable_RelativeToEachPath()
    {
        await using var cli = await CliFixture.StartAsync();
        var keep = cli.Dir.File("home/pics/2019/a.jpg", 100, 1);
        var keepToo = cli.Dir.File("home/pics/2020/b.mp4", 100, 2);
        var dropped = cli.Dir.File("home/pics/2020/c.jpg", 100, 3);
        var other = cli.Dir.File("home/pics/2021/d.png", 100, 4);

        var result = await cli.RunAsync("upload", "pics", "--include", "**/*.jpg", "--include", "**/*.mp4", "--exclude", "2020/*.jpg");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(cli.ItemsFor(keep)).IsEqualTo(1);
        await Assert.That(cli.ItemsFor(keepToo)).IsEqualTo(1);
        await Assert.That(cli.ItemsFor(dropped)).IsEqualTo(0);
        await Assert.That(cli.ItemsFor(other)).IsEqualTo(0);
    }

    [Test]
    public async Task PerItemBadImage_ReportedWithGooglesMessage_Exit1_OthersCreated()
    {
        await using var cli = await CliFixture.StartAsync();
        cli.Emulator.AddFault(new EmulatorFault(FaultTarget.BatchCreate, FaultKind.PartialBatchFailure)
        {
            ItemIndexes = [0], ItemCode = 3, ItemMessage = "BAD_IMAGE: There was an error while trying to create this media item.",
        });
        var files = LibraryTree.Create(cli.Dir, "home/pics", small: 3);

        var result = await cli.RunAsync("upload", "pics", "--json", "--concurrency", "1");
        var status = await cli.RunAsync("status", "--json");

        await Assert.That(result.ExitCode).IsEqualTo(1).Because(result.ToString());
        var failed = Files(result).Values.Single(f => f.GetProperty("status").GetString() == "failed");
        await Assert.That(failed.GetProperty("reason").GetString()).Contains("BAD_IMAGE");
        await Assert.That(cli.Emulator.MediaItems.Count).IsEqualTo(2);
        using var json = JsonDocument.Parse(status.Stdout);
        await Assert.That(json.RootElement.GetProperty("failed")[0].GetProperty("reason").GetString()).Contains("BAD_IMAGE");
        await Assert.That(json.RootElement.GetProperty("uploaded").GetInt32()).IsEqualTo(2);
    }

    [Test]
    public async Task CtrlC_StopsWithin_AFewSeconds_Exit130_RerunCompletes()
    {
        await using var cli = await CliFixture.StartAsync(new EmulatorOptions { ResponseDelay = TimeSpan.FromMilliseconds(200) });
        var files = LibraryTree.Create(cli.Dir, "home/pics", small: 30);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cli.Emulator.RequestArrived = (_, _) => arrived.TrySetResult();
        using var running = new CliProcess(cli.Home, ["upload", "pics"], new Dictionary<string, string?> { ["Q2GOOGLE_API_URL"] = cli.Emulator.BaseUrl.AbsoluteUri });

        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(500);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        running.Signal(2);
        var interrupted = await running.WaitForExitAsync();
        var stoppedIn = clock.Elapsed;
        cli.Emulator.Options = cli.Emulator.Options with { ResponseDelay = TimeSpan.Zero };
        var rerun = await cli.RunAsync("upload", "pics");

        await Assert.That(interrupted.ExitCode).IsEqualTo(130).Because(interrupted.ToString());
        await Assert.That(stoppedIn).IsLessThan(TimeSpan.FromSeconds(5));
        await Assert.That(interrupted.Stderr).Contains("interrupted");
        await Assert.That(rerun.ExitCode).IsEqualTo(0).Because(rerun.ToString());
        await LibraryTree.AssertEachExactlyOnceAsync(cli.Harness, files, StateDir(cli));
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetLastWriteTimeUtc(target, File.GetLastWriteTimeUtc(file));
        }
    }
}
