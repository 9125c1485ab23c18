using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Q2Google.Emulator;
using Q2Google.Http;
using Q2Google.State;
using Q2Google.Tests.Infrastructure;
using Q2Google.Upload;

namespace Q2Google.Tests;

/// <summary>
/// A new user's first ten minutes: every mistake caught once, early and in plain words, at a real (pseudo-)terminal
/// where that is where it happens.
/// </summary>
public class FirstRunTests
{
    [Test]
    public async Task NoLoginNoClient_AtATerminal_SaidOnceWithTheNextSteps_Exit2_NothingRecorded()
    {
        await using var cli = await CliFixture.StartAsync(loggedIn: false);
        for (var i = 0; i < 12; i++) cli.Dir.File($"home/photos/IMG_{i}.jpg", 2000 + i, i + 1);
        var env = new Dictionary<string, string?> { ["Q2GOOGLE_API_URL"] = cli.Emulator.BaseUrl.AbsoluteUri };

        var atTerminal = await PseudoTerminal.RunAsync(cli.Home, ["upload", "photos"], env);

        await Assert.That(atTerminal.ExitCode).IsEqualTo(2).Because(atTerminal.ToString());
        var screen = atTerminal.Stdout.Trim().Split('\n');
        await Assert.That(screen.Length).IsEqualTo(1).Because(atTerminal.Stdout);
        await Assert.That(screen[0]).Contains("no OAuth client file at");
        await Assert.That(screen[0]).Contains("'q2google auth login'");
        await Assert.That(screen[0]).Contains("'q2google upload --emulator PATH'");
        await Assert.That(cli.Emulator.Requests.Count).IsEqualTo(0);
        await Assert.That(Directory.Exists(Path.Combine(cli.Home, ".local", "state", "q2google", "libraries"))).IsFalse();

        // Without a person to log in (cron, CI) it is the documented "not logged in".
        var unattended = await cli.RunAsync("upload", "photos");
        await Assert.That(unattended.ExitCode).IsEqualTo(3).Because(unattended.ToString());
        await Assert.That(unattended.Stderr.Trim().Split('\n').Length).IsEqualTo(1);
        await Assert.That(unattended.Stderr).Contains("not logged in");
        await Assert.That(unattended.Stdout).IsEmpty();
    }

    [Test]
    public async Task UploadEmulator_IsAPracticeRun_ThatTouchesNoRealLoginOrJournal()
    {
        using var dir = new TempDir();
        var home = dir.Combine("home");
        var a = dir.File("home/photos/a.jpg", 3000, 1);
        dir.File("home/photos/b.png", 4000, 2);
        // A real login that must not even be read (it would fail to parse).
        var token = dir.Text("home/.config/q2google/token.json", "{ this is the real login }");
        var practiceFolders = PracticeFolders();

        var first = await CliRunner.RunAsync(home, ["upload", "photos", "--emulator", "--json"]);
        var second = await CliRunner.RunAsync(home, ["upload", "photos", "--emulator", "--json"]);

        foreach (var run in new[] { first, second })
        {
            await Assert.That(run.ExitCode).IsEqualTo(0).Because(run.ToString());
            var summary = JsonDocument.Parse(run.StdoutLines[^1]).RootElement;
            // Throw-away: each practice run starts from an empty library.
            await Assert.That(summary.GetProperty("uploaded").GetInt32()).IsEqualTo(2).Because(run.ToString());
            await Assert.That(run.Stderr).Contains("Practice run");
            await Assert.That(run.Stderr).Contains("your login and journal were not touched");
            // Where to look while it runs, and what it held at the end.
            await Assert.That(run.Stderr).Contains("/emulator/state while this run lasted) holds 2 media items");
        }

        await Assert.That(await File.ReadAllTextAsync(token)).IsEqualTo("{ this is the real login }");
        await Assert.That(Directory.Exists(Path.Combine(home, ".local", "state"))).IsFalse();
        await Assert.That(PracticeFolders().Except(practiceFolders)).IsEmpty();
        await Assert.That(File.Exists(a)).IsTrue();
    }

    private static string[] PracticeFolders() => Directory.GetDirectories(Path.GetTempPath(), "q2google-practice-*");

    [Test]
    public async Task ASecondServerOnATakenPort_IsRefused_OneLine_Exit2()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var port = harness.Emulator.BaseUrl.Port;

        var second = await CliRunner.RunAsync(harness.Dir.Path, ["emulator", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--data-dir", harness.Dir.Combine("second")], timeout: TimeSpan.FromSeconds(30));

        await Assert.That(second.ExitCode).IsEqualTo(2).Because(second.ToString());
        await Assert.That(second.Stderr.Trim().Split('\n').Length).IsEqualTo(1);
        await Assert.That(second.Stderr).Contains($"cannot listen on 127.0.0.1:{port}");
        await Assert.That(second.Stdout).IsEmpty();
        // The same listener takes a login's redirect: nobody may share its port either.
        var error = await Assert.That(() => new HttpServer(new IPEndPoint(IPAddress.Loopback, port), (_, _) => default)).Throws<SocketException>();
        await Assert.That(error!.SocketErrorCode).IsEqualTo(SocketError.AddressAlreadyInUse);
    }

    [Test]
    public async Task ALoginOnATakenPort_IsRefused_Exit2()
    {
        await using var cli = await CliFixture.StartAsync(loggedIn: false);
        await File.WriteAllTextAsync(cli.Dir.Text("home/.config/q2google/client_secret.json", ""), cli.Emulator.ClientSecretJson());
        var port = cli.Emulator.BaseUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var login = await cli.RunAsync("auth", "login", "--no-browser", "--port", port);

        await Assert.That(login.ExitCode).IsEqualTo(2).Because(login.ToString());
        await Assert.That(login.Stderr).Contains($"cannot listen on 127.0.0.1:{port}");
    }

    [Test]
    [Arguments("https://q2google-test.invalid/", "q2google-test.invalid")]
    [Arguments("closed-port", "nothing accepts connections there")]
    public async Task AHostThatCannotBeReached_EndsTheRunAfterAShortRetry_Exit1_NothingRecordedAsFailed(string apiUrl, string expected)
    {
        await using var cli = await CliFixture.StartAsync();
        for (var i = 0; i < 6; i++) cli.Dir.File($"home/photos/IMG_{i}.jpg", 2000 + i, i + 1);
        if (apiUrl == "closed-port") apiUrl = $"http://127.0.0.1:{ClosedPort()}/";
        var env = new Dictionary<string, string?> { ["Q2GOOGLE_API_URL"] = apiUrl };

        var run = await CliRunner.RunAsync(cli.Home, ["upload", "photos"], env, timeout: TimeSpan.FromSeconds(60));

        await Assert.That(run.ExitCode).IsEqualTo(1).Because(run.ToString());
        var lines = run.Stderr.Trim().Split('\n');
        await Assert.That(lines.Length).IsEqualTo(1).Because(run.Stderr);
        await Assert.That(lines[0]).Contains("cannot reach");
        await Assert.That(lines[0]).Contains(expected);
        await Assert.That(lines[0]).Contains("/etc/resolv.conf");
        await Assert.That(run.Stdout).IsEmpty();
        var status = await CliRunner.RunAsync(cli.Home, ["status", "--json"], env);
        await Assert.That(JsonDocument.Parse(status.Stdout).RootElement.GetProperty("failed").GetArrayLength()).IsEqualTo(0).Because(status.ToString());
    }

    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Test]
    public async Task ALoginPromptInTheMiddleOfARun_HoldsTheProgressLine_UntilItIsAnswered()
    {
        await using var cli = await CliFixture.StartAsync(new EmulatorOptions { ResponseDelay = TimeSpan.FromMilliseconds(300) });
        await File.WriteAllTextAsync(cli.Dir.Text("home/.config/q2google/client_secret.json", ""), cli.Emulator.ClientSecretJson());
        for (var i = 0; i < 16; i++) cli.Dir.File($"home/photos/IMG_{i:00}.jpg", 40_000 + i, i + 1);
        var env = new Dictionary<string, string?> { ["Q2GOOGLE_API_URL"] = cli.Emulator.BaseUrl.AbsoluteUri };
        using var run = PseudoTerminal.Start(cli.Home, ["upload", "photos", "--concurrency", "1"], env);

        await run.WaitForStdoutLineAsync(line => line.Contains("files done", StringComparison.Ordinal));
        // "Remove access" in the Google account while the run goes on: the next request needs a new login.
        cli.Emulator.RevokeAllGrants();
        await run.WaitForStdoutLineAsync(line => line.Contains("paste it here", StringComparison.Ordinal));
        var url = (await run.WaitForStdoutLineAsync(line => line.TrimStart().StartsWith(cli.Emulator.AuthorizationUri.AbsoluteUri, StringComparison.Ordinal))).Trim();
        var atPrompt = run.StdoutSoFar.Length;
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var whilePromptWaits = run.StdoutSoFar[atPrompt..];

        await Assert.That(whilePromptWaits).DoesNotContain("files done");
        // The person answers in a browser; the loopback listener gets the code and the run goes on.
        await TestBrowser.FollowAsync(new Uri(url));
        var result = await run.WaitForExitAsync();
        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(PseudoTerminal.Screen(result.Stdout)).Contains("16 files: 16 uploaded");
        await Assert.That(cli.Emulator.MediaItems.Count).IsEqualTo(16);
    }

    [Test]
    public async Task AnIncludeThatMatchedNothing_IsSaid_WithTheDoubleStarPattern()
    {
        await using var cli = await CliFixture.StartAsync();
        cli.Dir.File("home/nested/2023/a.jpg", 2000, 1);
        cli.Dir.File("home/nested/2024/b.jpg", 2100, 2);

        var flat = await cli.RunAsync("upload", "nested", "--include", "*.jpg", "--dry-run");
        var deep = await cli.RunAsync("upload", "nested", "--include", "**/*.jpg", "--dry-run");

        await Assert.That(flat.ExitCode).IsEqualTo(0).Because(flat.ToString());
        await Assert.That(flat.Stderr).Contains("--include '*.jpg' matched no file");
        await Assert.That(flat.Stderr).Contains("--include '**/*.jpg'");
        await Assert.That(deep.Stderr).DoesNotContain("matched no file");
        await Assert.That(deep.Stdout).Contains("plan: 2 files to upload");
    }

    [Test]
    public async Task AtATerminal_AFailureIsSaidOnce_AndCountsReadAsWords()
    {
        await using var cli = await CliFixture.StartAsync();
        cli.Dir.File("home/good.jpg", 3000, 1);
        cli.Dir.File("home/empty.jpg", 0);
        var env = new Dictionary<string, string?> { ["Q2GOOGLE_API_URL"] = cli.Emulator.BaseUrl.AbsoluteUri };

        var run = await PseudoTerminal.RunAsync(cli.Home, ["upload", "good.jpg", "empty.jpg", "--album", "Trip"], env);
        var albums = await cli.RunAsync("albums", "list");

        await Assert.That(run.ExitCode).IsEqualTo(1).Because(run.ToString());
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await Assert.That(lines.Count(l => l.Contains("empty.jpg", StringComparison.Ordinal))).IsEqualTo(1).Because(run.Stdout);
        await Assert.That(lines[^1]).StartsWith("2 files: 1 uploaded, 0 already uploaded, 0 skipped, 1 failed;");
        await Assert.That(albums.Stdout).Contains("Trip  (1 item)");
    }

    [Test]
    public async Task ADryRun_ListsTheSameFiles_InTheWalksSortedOrder_EveryTime()
    {
        await using var cli = await CliFixture.StartAsync();
        for (var i = 0; i < 30; i++) cli.Dir.File($"home/pics/{(char)('a' + i % 5)}/IMG_{29 - i:00}.jpg", 1000 + i, i + 1);
        cli.Dir.Text("home/pics/c/notes.txt", "not a photo");

        var runs = new List<string[]>();
        for (var i = 0; i < 3; i++)
        {
            var run = await cli.RunAsync("upload", "pics", "--dry-run", "--json");
            await Assert.That(run.ExitCode).IsEqualTo(0).Because(run.ToString());
            runs.Add([.. CliFixture.JsonLines(run).Where(l => l.GetProperty("type").GetString() == "file").Select(l => l.GetProperty("path").GetString()!)]);
        }

        await Assert.That(runs[0].Length).IsEqualTo(31);
        await Assert.That(runs[0]).IsEquivalentTo(runs[0].Order(StringComparer.Ordinal).ToArray(), TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(runs[1]).IsEquivalentTo(runs[0], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(runs[2]).IsEquivalentTo(runs[0], TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task AlbumTitles_AreUnambiguous_ADuplicateIsAskedFor_AndNeverGuessedAt()
    {
        await using var cli = await CliFixture.StartAsync();
        cli.Dir.File("home/photos/a.jpg", 3000, 1);

        var created = await cli.RunAsync("albums", "create", "Holidays");
        var again = await cli.RunAsync("albums", "create", "Holidays");
        var duplicate = await cli.RunAsync("albums", "create", "Holidays", "--allow-duplicate");

        await Assert.That(created.ExitCode).IsEqualTo(0).Because(created.ToString());
        await Assert.That(again.ExitCode).IsEqualTo(2).Because(again.ToString());
        await Assert.That(again.Stderr).Contains("already has an album titled \"Holidays\"");
        await Assert.That(again.Stderr).Contains("--allow-duplicate");
        await Assert.That(duplicate.ExitCode).IsEqualTo(0).Because(duplicate.ToString());
        var ids = cli.Emulator.Albums.Select(a => a.Id).ToList();
        await Assert.That(ids.Count).IsEqualTo(2);

        var byTitle = await cli.RunAsync("upload", "photos", "--album", "Holidays");

        await Assert.That(byTitle.ExitCode).IsEqualTo(2).Because(byTitle.ToString());
        await Assert.That(byTitle.Stderr.Trim().Split('\n').Length).IsEqualTo(1);
        foreach (var id in ids) await Assert.That(byTitle.Stderr).Contains(id);
        await Assert.That(byTitle.Stderr).Contains("--album-id");
        await Assert.That(cli.Emulator.MediaItems.Count).IsEqualTo(0);

        var byId = await cli.RunAsync("upload", "photos", "--album-id", ids[1]);
        await Assert.That(byId.ExitCode).IsEqualTo(0).Because(byId.ToString());
        await Assert.That(cli.Emulator.Albums.Single(a => a.Id == ids[1]).MediaItemIds.Count).IsEqualTo(1);
    }

    [Test]
    public async Task TwoAlbumsOfTheSameTitleOnGoogle_NotInTheJournal_StopTheRunBeforeAnyByte()
    {
        await using var cli = await CliFixture.StartAsync();
        cli.Dir.File("home/photos/a.jpg", 3000, 1);
        // Made by another machine: this journal has never heard of them.
        var api = cli.Harness.CreateApi();
        var first = await api.CreateAlbumAsync("Family");
        var second = await api.CreateAlbumAsync("Family");

        var run = await cli.RunAsync("upload", "photos", "--album", "Family");

        await Assert.That(run.ExitCode).IsEqualTo(2).Because(run.ToString());
        await Assert.That(run.Stderr).Contains(first.Id!);
        await Assert.That(run.Stderr).Contains(second.Id!);
        await Assert.That(cli.Emulator.Requests.Count(r => r.Path.StartsWith("/v1/uploads", StringComparison.Ordinal))).IsEqualTo(0);
    }

    [Test]
    public async Task Progress_CountsEachByteOnce_ThoughResetsAndErrorsMakeChunksGoAgain()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions
        {
            ChunkGranularity = 16 * 1024, ResetRate = 0.25, ServerErrorRate = 0.15, ChaosSeed = 13,
        });
        var files = LibraryTree.Create(harness.Dir, "library", small: 8, large: 3, largeSize: 150_000);
        var api = harness.CreateApi();
        var options = new UploadOptions { ChunkSize = 32 * 1024, Concurrency = 3 };
        var client = new GooglePhotosClient(api, retry: EmulatorHarness.FastRetry with { MaxAttempts = 40 })
        {
            ChunkSize = options.ChunkSize, RawUploadLimit = options.RawUploadLimit,
        };
        var progress = new CountingProgress();
        using var journal = Journal.Open(Directory.CreateDirectory(harness.Dir.Combine("state")).FullName);
        var run = new UploadRun(api, client, journal, options, _ => { }, progress, TimeProvider.System, _ => { });

        await run.RunAsync([harness.Dir.Combine("library")], CancellationToken.None);

        await LibraryTree.AssertEachExactlyOnceAsync(harness, files);
        await Assert.That(harness.Emulator.Requests.Count(r => r.Status is 0 or 500 or 503)).IsGreaterThan(0);
        var total = files.Sum(f => new FileInfo(f).Length);
        await Assert.That(progress.Queued).IsEqualTo(total);
        await Assert.That(progress.Sent).IsEqualTo(total);
    }

    [Test]
    [Arguments(0.2, "just now")]
    [Arguments(1.5, "1 minute ago")]
    [Arguments(180.0, "3 hours ago")]
    [Arguments(1500.0, "1 day ago")]
    [Arguments(100_000.0, "69.4 days ago")]
    public async Task LoginAge_ReadsAsWords(double minutes, string expected) =>
        await Assert.That(Q2Google.Cli.AuthCommands.Ago(TimeSpan.FromMinutes(minutes))).IsEqualTo(expected);

    private sealed class CountingProgress : IUploadProgress
    {
        private long _queued;
        private long _sent;

        public long Queued => Interlocked.Read(ref _queued);
        public long Sent => Interlocked.Read(ref _sent);

        void IUploadProgress.Queued(long bytes) => Interlocked.Add(ref _queued, bytes);
        void IUploadProgress.Sent(long bytes) => Interlocked.Add(ref _sent, bytes);
        public void Started(string display) { }
        public void Uploaded(string display) { }
        public void Finished(string display) { }
        public void WalkCompleted(int files) { }
        public void Clear() { }
    }
}
