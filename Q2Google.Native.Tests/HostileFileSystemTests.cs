using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Q2Google.Auth;
using Q2Google.Emulator;
using Q2Google.State;
using Q2Google.Tests.Infrastructure;

namespace Q2Google.Tests;

/// <summary>
/// Only regular files are ever opened; every run can be stopped; the state and config folders cannot be turned
/// against the user (files planted by someone else, links to the user's files, folders others may write).
/// </summary>
public class HostileFileSystemTests
{
    private static string StateDir(CliFixture cli) => Path.Combine(cli.Home, ".local", "state", "q2google");

    private static Dictionary<string, JsonElement> Files(CliResult result) =>
        CliFixture.JsonLines(result).Where(l => l.GetProperty("type").GetString() == "file").ToDictionary(l => l.GetProperty("path").GetString()!);

    private static bool IsRoot => Environment.UserName == "root";

    [Test]
    [Arguments(false)]
    [Arguments(true)]
    public async Task FifoSocketDeviceAndBrokenLink_AreSkippedUnopened_FolderNamedLikeMedia_IsWalked(bool dryRun)
    {
        await using var cli = await CliFixture.StartAsync();
        var photo = cli.Dir.File("home/tree/IMG_1.jpg", 3000);
        var inFolder = cli.Dir.File("home/tree/trip.jpg/IMG_2.jpg", 3100, 2);
        Process.Start("mkfifo", [cli.Dir.Combine("home", "tree", "clip.mov")])!.WaitForExit();
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(cli.Dir.Combine("home", "tree", "IMG_3.jpg")));
        File.CreateSymbolicLink(cli.Dir.Combine("home", "tree", "big.mov"), "/dev/zero");
        File.CreateSymbolicLink(cli.Dir.Combine("home", "tree", "gone.jpg"), cli.Dir.Combine("home", "nowhere.jpg"));
        string[] args = dryRun ? ["upload", "tree", "--json", "--dry-run"] : ["upload", "tree", "--json"];

        var result = await CliRunner.RunAsync(cli.Home, args, new Dictionary<string, string?> { ["Q2GOOGLE_API_URL"] = cli.Emulator.BaseUrl.AbsoluteUri },
            timeout: TimeSpan.FromSeconds(60));

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        var files = Files(result);
        foreach (var special in new[] { "tree/clip.mov", "tree/IMG_3.jpg", "tree/big.mov" })
        {
            await Assert.That(files[special].GetProperty("status").GetString()).IsEqualTo("skipped").Because(special);
            await Assert.That(files[special].GetProperty("reason").GetString()).IsEqualTo("not-a-file").Because(special);
        }

        await Assert.That(files["tree/gone.jpg"].GetProperty("reason").GetString()).IsEqualTo("unreadable");
        await Assert.That(files["tree/trip.jpg/IMG_2.jpg"].GetProperty("status").GetString()).IsEqualTo(dryRun ? "planned" : "uploaded");
        if (!dryRun)
        {
            await Assert.That(cli.ItemsFor(photo)).IsEqualTo(1);
            await Assert.That(cli.ItemsFor(inFolder)).IsEqualTo(1);
        }
    }

    [Test]
    public async Task FifoNamedOnTheCommandLine_IsAFailureOfThatPath_NeverOpened()
    {
        await using var cli = await CliFixture.StartAsync();
        Process.Start("mkfifo", [cli.Dir.Combine("home", "clip.mov")])!.WaitForExit();
        cli.Dir.File("home/IMG_1.jpg", 3000);

        var result = await CliRunner.RunAsync(cli.Home, ["upload", "clip.mov", "IMG_1.jpg", "--json"],
            new Dictionary<string, string?> { ["Q2GOOGLE_API_URL"] = cli.Emulator.BaseUrl.AbsoluteUri }, timeout: TimeSpan.FromSeconds(60));

        await Assert.That(result.ExitCode).IsEqualTo(1).Because(result.ToString());
        await Assert.That(Files(result)["clip.mov"].GetProperty("status").GetString()).IsEqualTo("failed");
        await Assert.That(Files(result)["IMG_1.jpg"].GetProperty("status").GetString()).IsEqualTo("uploaded");
    }

    [Test]
    [Arguments("TERM", "slow server")]
    [Arguments("INT", "slow server")]
    [Arguments("TERM", "waiting to retry")]
    [Arguments("INT", "waiting to retry")]
    public async Task Signal_EndsTheRunWithin5Seconds_Exit130_JournalIntact_LockReleased(string signal, string state)
    {
        await using var cli = await CliFixture.StartAsync();
        var files = LibraryTree.Create(cli.Dir, "home/pics", small: 3);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cli.Emulator.RequestArrived = (_, _) => arrived.TrySetResult();
        cli.Emulator.AddFault(state == "slow server"
            ? new EmulatorFault(FaultTarget.AnyApi, FaultKind.Delay) { Delay = TimeSpan.FromMinutes(5), Count = 100 }
            // A per-minute 429 with a long Retry-After: the run sits in its backoff.
            : new EmulatorFault(FaultTarget.AnyApi, FaultKind.RateLimit) { RetryAfter = TimeSpan.FromMinutes(5), Count = 100 });
        using var run = new CliProcess(cli.Home, ["upload", "pics"], new Dictionary<string, string?> { ["Q2GOOGLE_API_URL"] = cli.Emulator.BaseUrl.AbsoluteUri });
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(500);

        var clock = Stopwatch.StartNew();
        run.Signal(signal == "TERM" ? 15 : 2);
        var stopped = await run.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var took = clock.Elapsed;
        cli.Emulator.ClearFaults();
        var rerun = await cli.RunAsync("upload", "pics");

        await Assert.That(stopped.ExitCode).IsEqualTo(130).Because(stopped.ToString());
        await Assert.That(took).IsLessThan(TimeSpan.FromSeconds(5));
        await Assert.That(rerun.ExitCode).IsEqualTo(0).Because(rerun.ToString());
        await LibraryTree.AssertEachExactlyOnceAsync(cli.Harness, files, StateDir(cli));
    }

    [Test]
    public async Task StateFolderWritableByOthers_IsRefused_Exit2_WithTheFix()
    {
        await using var cli = await CliFixture.StartAsync();
        cli.Dir.File("home/IMG_1.jpg", 3000);
        var state = cli.Dir.Combine("shared-state");
        Directory.CreateDirectory(state);
        File.SetUnixFileMode(state, (UnixFileMode)0b111_111_111);

        var result = await cli.RunAsync("upload", "IMG_1.jpg", "--state-dir", state);

        await Assert.That(result.ExitCode).IsEqualTo(2).Because(result.ToString());
        await Assert.That(result.Stderr.Trim().Split('\n').Length).IsEqualTo(1).Because(result.ToString());
        await Assert.That(result.Stderr).Contains($"the state folder {state} can be written by other users");
        await Assert.That(result.Stderr).Contains($"chmod go-w {state}");
        await Assert.That(cli.Emulator.RequestsToday).IsEqualTo(0);
    }

    [Test]
    [Arguments("state")]
    [Arguments("config")]
    public async Task FolderOwnedByAnotherUser_IsRefused_Exit2(string which)
    {
        Skip.When(!IsRoot, "needs root to give a folder to another user (CI runs as root)");

        await using var cli = await CliFixture.StartAsync();
        cli.Dir.File("home/IMG_1.jpg", 3000);
        var folder = which == "state" ? cli.Dir.Combine("their-state") : Path.GetDirectoryName(cli.TokenPath)!;
        Directory.CreateDirectory(folder);
        Process.Start("chown", ["65534", folder])!.WaitForExit();
        string[] args = which == "state" ? ["upload", "IMG_1.jpg", "--state-dir", folder] : ["upload", "IMG_1.jpg"];

        var result = await cli.RunAsync(args);

        await Assert.That(result.ExitCode).IsEqualTo(2).Because(result.ToString());
        await Assert.That(result.Stderr).Contains($"{folder} belongs to user id 65534, not to you (user id 0)");
        await Assert.That(result.Stderr).Contains(which == "state" ? "--state-dir" : "--config-dir");
        await Assert.That(cli.Emulator.MediaItems.Count).IsEqualTo(0);
    }

    [Test]
    [Arguments("lock.owner")]
    [Arguments(Journal.FileName)]
    public async Task PlantedSymlinkInTheLibraryFolder_IsRefused_ItsTargetUntouched(string name)
    {
        await using var cli = await CliFixture.StartAsync();
        cli.Dir.File("home/IMG_1.jpg", 3000);
        await cli.RunAsync("upload", "IMG_1.jpg");
        var folder = StateFolders.JournalFolder(StateDir(cli));
        var victim = cli.Dir.Text("victim.txt", "precious");
        File.Delete(Path.Combine(folder, name));
        File.CreateSymbolicLink(Path.Combine(folder, name), victim);
        cli.Dir.File("home/IMG_2.jpg", 3100, 2);

        var result = await cli.RunAsync("upload", "IMG_2.jpg");

        await Assert.That(result.ExitCode).IsEqualTo(2).Because(result.ToString());
        await Assert.That(result.Stderr).Contains("is a symbolic link");
        await Assert.That(File.ReadAllText(victim)).IsEqualTo("precious");
    }

    [Test]
    public async Task PlantedIdentityFileLink_IsReplacedByAFile_NotFollowed()
    {
        await using var cli = await CliFixture.StartAsync();
        cli.Dir.File("home/IMG_1.jpg", 3000);
        await cli.RunAsync("upload", "IMG_1.jpg");
        var identity = Path.Combine(StateFolders.JournalFolder(StateDir(cli)), StateDirectory.IdentityFileName);
        var victim = cli.Dir.Text("victim.txt", "precious");
        File.Delete(identity);
        File.CreateSymbolicLink(identity, victim);

        var result = await cli.RunAsync("upload", "IMG_1.jpg");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(File.ReadAllText(victim)).IsEqualTo("precious");
        await Assert.That(new FileInfo(identity).LinkTarget).IsNull();
        await Assert.That(File.ReadAllText(identity)).Contains(TestAccount.Email);
    }

    [Test]
    public async Task PlantedCompactionTempLinks_AreRemoved_NotFollowed()
    {
        using var dir = new TempDir();
        var victim = dir.Text("victim.txt", "precious");
        const string hash = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        using (var journal = Journal.Open(dir.Path))
        {
            journal.RecordPath("/p/a.jpg", 1, 1, hash);
            // Enough superseded records that opening compacts.
            for (var i = 0; i < 4 * Journal.CompactAt + 50; i++) journal.RecordOffset(hash, i);
        }

        // Where compaction writes the next index and the next journal file before renaming them into place.
        File.CreateSymbolicLink(Path.Combine(dir.Path, StateIndex.FileName + ".new"), victim);
        File.CreateSymbolicLink(Path.Combine(dir.Path, Journal.FileName + ".new"), victim);
        var before = File.ReadAllLines(Path.Combine(dir.Path, Journal.FileName)).Length;
        using (var reopened = Journal.Open(dir.Path))
        {
            await Assert.That(reopened.HashOf("/p/a.jpg", 1, 1)).IsEqualTo(hash);
        }

        await Assert.That(File.ReadAllText(victim)).IsEqualTo("precious");
        await Assert.That(File.ReadAllLines(Path.Combine(dir.Path, Journal.FileName)).Length).IsLessThan(before);
        foreach (var name in new[] { Journal.FileName, StateIndex.FileName })
        {
            await Assert.That(new FileInfo(Path.Combine(dir.Path, name)).LinkTarget).IsNull();
        }
    }

    [Test]
    public async Task PlantedPreviousTokenLink_IsReplaced_NotFollowed_OnLogin()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var secrets = harness.Dir.Combine("client_secret.json");
        await File.WriteAllTextAsync(secrets, harness.Emulator.ClientSecretJson());
        var tokenPath = harness.Dir.Combine("config", "token.json");
        var store = new FileTokenStore(tokenPath, ownsDirectory: true);
        await store.SaveAsync(harness.Emulator.CreateAuthorizedUser());
        var victim = harness.Dir.Text("victim.txt", "precious");
        File.CreateSymbolicLink(tokenPath + ".previous", victim);
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        var oauth = new GooglePhotosOAuth(secrets, Api.PhotosScopes.Default, store, new OAuthTokenClient(http, TimeProvider.System),
            new TestBrowser(), new TypedInput(), new PromptCapture(), TimeProvider.System);

        await oauth.AuthorizeInteractiveAsync(new LoginOptions { Timeout = TimeSpan.FromSeconds(30) });

        await Assert.That(File.ReadAllText(victim)).IsEqualTo("precious");
        await Assert.That(new FileInfo(tokenPath + ".previous").LinkTarget).IsNull();
        await Assert.That(FileTokenStore.Parse(File.ReadAllBytes(tokenPath + ".previous"), "previous").RefreshToken).IsNotNull();
        await Assert.That(File.GetUnixFileMode(tokenPath + ".previous")).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Test]
    public async Task ReplacingTheTokenFile_FsyncsItsFolderAfterTheRename()
    {
        Skip.When(!File.Exists("/usr/bin/strace"), "needs strace to watch the system calls (.ci/run installs it)");
        await using var cli = await CliFixture.StartAsync();
        var exported = cli.Dir.Combine("exported.json");
        File.Copy(cli.TokenPath, exported);
        var trace = cli.Dir.Combine("trace.txt");

        var result = await cli.RunAsync(["-f", "-e", "trace=openat,rename,renameat,renameat2,fsync", "-o", trace, CliRunner.BuiltBinary, "auth", "import", exported],
            null, binary: "/usr/bin/strace");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        var calls = File.ReadAllLines(trace).Select(l => l[(l.IndexOf(' ') + 1)..].Trim()).ToList();
        var rename = calls.FindIndex(c => c.StartsWith("rename", StringComparison.Ordinal) && c.Contains($"\"{cli.TokenPath}\"", StringComparison.Ordinal));
        await Assert.That(rename).IsGreaterThanOrEqualTo(0).Because(string.Join('\n', calls));
        var folder = Path.GetDirectoryName(cli.TokenPath)!;
        var open = calls.FindIndex(rename, c => c.StartsWith("openat", StringComparison.Ordinal) && c.Contains($"\"{folder}\"", StringComparison.Ordinal)
                                                && c.Contains("O_DIRECTORY", StringComparison.Ordinal));
        await Assert.That(open).IsGreaterThan(rename).Because(string.Join('\n', calls));
        var fd = calls[open][(calls[open].LastIndexOf('=') + 1)..].Trim();
        await Assert.That(calls.Skip(open).Any(c => c.StartsWith($"fsync({fd})", StringComparison.Ordinal))).IsTrue().Because(string.Join('\n', calls));
    }

    [Test]
    public async Task Logout_RemovesThePreviousTokenToo_AndRevokeEndsBothLogins()
    {
        await using var cli = await CliFixture.StartAsync();
        var older = cli.Emulator.CreateAuthorizedUser();
        await new FileTokenStore(cli.TokenPath + ".previous").SaveAsync(older);

        var result = await cli.RunAsync("auth", "logout", "--revoke");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(File.Exists(cli.TokenPath)).IsFalse();
        await Assert.That(File.Exists(cli.TokenPath + ".previous")).IsFalse();
        await Assert.That(cli.Emulator.Requests.Count(r => r.Path == "/revoke" && r.Status == 200)).IsEqualTo(2);
        var store = new InMemoryTokenStore(older with { Expiry = DateTimeOffset.UtcNow.AddHours(-1) }, "older");
        await Assert.That(() => cli.Harness.CreateApi(store).InitUploadSessionAsync("image/jpeg", 1, "a.jpg")).Throws<AuthenticationRequiredException>();
    }
}
