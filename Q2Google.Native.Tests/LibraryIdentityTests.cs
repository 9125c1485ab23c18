using System.Text.Json;
using Q2Google.Auth;
using Q2Google.Emulator;
using Q2Google.State;
using Q2Google.Tests.Infrastructure;

namespace Q2Google.Tests;

/// <summary>
/// Whose library is it? The journal knows the endpoint and the account it describes: nothing recorded for one
/// library is shown as uploaded, resumed or contacted for another, and switching back finds its records again.
/// </summary>
public class LibraryIdentityTests
{
    private static string StateDir(CliFixture cli) => Path.Combine(cli.Home, ".local", "state", "q2google");

    private static JsonElement Single(CliResult result) =>
        CliFixture.JsonLines(result).Single(l => l.GetProperty("type").GetString() == "file");

    private static JsonElement Summary(CliResult result) => CliFixture.JsonLines(result).Last();

    private static async Task<string> TokenFor(CliFixture cli, PhotosEmulator emulator, string name, string sub, string? email = null)
    {
        var path = cli.Dir.Combine("home", name);
        await new FileTokenStore(path).SaveAsync(emulator.CreateAuthorizedUser(TestAccount.LoginScopes(), user: sub, email: email ?? $"{sub}@example.com"));
        return path;
    }

    [Test]
    public async Task AnotherEndpoint_SameFile_IsUploadedThere_AndSwitchingBackFindsTheFirstLibrary()
    {
        await using var cli = await CliFixture.StartAsync();
        await using var other = await PhotosEmulator.StartAsync();
        var otherToken = await TokenFor(cli, other, "other-token.json", TestAccount.Sub, TestAccount.Email);
        var photo = cli.Dir.File("home/photo.jpg", 5000);
        string[] onOther = ["upload", "photo.jpg", "--json", "--api-url", other.BaseUrl.AbsoluteUri, "--token", otherToken];

        var first = await cli.RunAsync("upload", "photo.jpg", "--json");
        var there = await cli.RunAsync(onOther);
        var back = await cli.RunAsync("upload", "photo.jpg", "--json");
        var thereAgain = await cli.RunAsync(onOther);

        await Assert.That(first.ExitCode).IsEqualTo(0).Because(first.ToString());
        await Assert.That(Single(there).GetProperty("status").GetString()).IsEqualTo("uploaded").Because(there.ToString());
        await Assert.That(other.MediaItems.Count).IsEqualTo(1);
        await Assert.That(other.MediaItems[0].Sha256).IsEqualTo(TempDir.Sha256(photo));
        // The product URL shown belongs to the library the file is in, never to the other one.
        await Assert.That(Single(there).GetProperty("productUrl").GetString()).StartsWith(other.BaseUrl.AbsoluteUri);
        await Assert.That(Single(back).GetProperty("status").GetString()).IsEqualTo("already-uploaded");
        await Assert.That(Single(back).GetProperty("productUrl").GetString()).StartsWith(cli.Emulator.BaseUrl.AbsoluteUri);
        await Assert.That(Summary(back).GetProperty("requests").GetInt64()).IsEqualTo(0);
        await Assert.That(Single(thereAgain).GetProperty("status").GetString()).IsEqualTo("already-uploaded");
        await Assert.That(cli.Emulator.MediaItems.Count).IsEqualTo(1);
        await Assert.That(Directory.GetDirectories(Path.Combine(StateDir(cli), "libraries")).Length).IsEqualTo(2);
    }

    [Test]
    public async Task AnotherAccount_SameEndpoint_GetsTheFileInItsOwnLibrary()
    {
        await using var cli = await CliFixture.StartAsync(loggedIn: false);
        var anna = await TokenFor(cli, cli.Emulator, "anna.json", "111111111111111111111", "anna@example.com");
        var bob = await TokenFor(cli, cli.Emulator, "bob.json", "222222222222222222222", "bob@example.com");
        cli.Dir.File("home/family/IMG_1.jpg", 4000, 7);
        cli.Dir.File("home/family/IMG_2.jpg", 4100, 8);

        var asAnna = await cli.RunAsync("upload", "family", "--json", "--token", anna);
        var asBob = await cli.RunAsync("upload", "family", "--json", "--token", bob);
        var annaAgain = await cli.RunAsync("upload", "family", "--json", "--token", anna);
        var bobStatus = await cli.RunAsync("status", "--token", bob);

        await Assert.That(Summary(asAnna).GetProperty("uploaded").GetInt32()).IsEqualTo(2).Because(asAnna.ToString());
        await Assert.That(Summary(asBob).GetProperty("uploaded").GetInt32()).IsEqualTo(2).Because(asBob.ToString());
        await Assert.That(Summary(annaAgain).GetProperty("alreadyUploaded").GetInt32()).IsEqualTo(2);
        await Assert.That(Summary(annaAgain).GetProperty("requests").GetInt64()).IsEqualTo(0);
        await Assert.That(cli.Emulator.MediaItems.Count(m => m.User == "111111111111111111111")).IsEqualTo(2);
        await Assert.That(cli.Emulator.MediaItems.Count(m => m.User == "222222222222222222222")).IsEqualTo(2);
        await Assert.That(bobStatus.Stdout).Contains("library:   bob@example.com at ");
        await Assert.That(bobStatus.Stdout).Contains("also here: anna@example.com at ");
    }

    [Test]
    public async Task HalfSentSession_OfOneEndpoint_IsNeverContactedFromAnother()
    {
        await using var cli = await CliFixture.StartAsync(new EmulatorOptions { ChunkGranularity = 64 * 1024, ResponseDelay = TimeSpan.FromMilliseconds(150) });
        await using var other = await PhotosEmulator.StartAsync(new EmulatorOptions { ChunkGranularity = 64 * 1024 });
        var otherToken = await TokenFor(cli, other, "other-token.json", TestAccount.Sub, TestAccount.Email);
        var video = cli.Dir.File("home/MOV_1.mp4", 1_000_000);
        var chunks = 0;
        var twoChunks = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cli.Emulator.RequestArrived = (_, command) =>
        {
            if (command == "upload" && Interlocked.Increment(ref chunks) >= 2) twoChunks.TrySetResult();
        };
        using (var run = new CliProcess(cli.Home, ["upload", "MOV_1.mp4", "--chunk-size", "64K"],
                   new Dictionary<string, string?> { ["Q2GOOGLE_API_URL"] = cli.Emulator.BaseUrl.AbsoluteUri }))
        {
            await twoChunks.Task.WaitAsync(TimeSpan.FromSeconds(60));
            run.Kill();
            await run.WaitForExitAsync();
        }

        // The request the kill cut short is logged by the emulator when it notices; wait for the log to settle.
        var seenByFirst = -1;
        while (cli.Emulator.Requests.Count != seenByFirst)
        {
            seenByFirst = cli.Emulator.Requests.Count;
            await Task.Delay(400);
        }

        var there = await cli.RunAsync("upload", "MOV_1.mp4", "--json", "--chunk-size", "64K", "--api-url", other.BaseUrl.AbsoluteUri, "--token", otherToken);

        await Assert.That(there.ExitCode).IsEqualTo(0).Because(there.ToString());
        // Not one request, so not one token of the second library, reached the first endpoint.
        await Assert.That(cli.Emulator.Requests.Count).IsEqualTo(seenByFirst);
        await Assert.That(other.Requests.Count(r => r.UploadCommand == "query")).IsEqualTo(0);
        await Assert.That(other.MediaItems.Single().Sha256).IsEqualTo(TempDir.Sha256(video));
    }

    [Test]
    public async Task SessionUrlOnAnotherEndpoint_IsRefusedBeforeAnythingIsSent()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        await using var other = await PhotosEmulator.StartAsync();
        var api = harness.CreateApi();
        var foreign = new Uri(other.BaseUrl, "v1/uploads?upload_id=abc&upload_protocol=resumable").AbsoluteUri;

        await Assert.That(api.OwnsSessionUrl(foreign)).IsFalse();
        await Assert.That(api.OwnsSessionUrl(new Uri(harness.Emulator.BaseUrl, "v1/uploads?upload_id=abc").AbsoluteUri)).IsTrue();
        await Assert.That(() => api.QueryUploadStatusAsync(foreign)).Throws<Api.UnexpectedSessionUrlException>();
        await Assert.That(other.Requests.Count).IsEqualTo(0);
    }

    [Test]
    public async Task JournalOfTodaysFormat_IsAdoptedByTheLibraryItDescribes_AndOnlyByIt()
    {
        await using var cli = await CliFixture.StartAsync();
        await using var other = await PhotosEmulator.StartAsync();
        var otherToken = await TokenFor(cli, other, "other-token.json", TestAccount.Sub, TestAccount.Email);
        var files = LibraryTree.Create(cli.Dir, "home/pics", small: 4);
        var made = await cli.RunAsync("upload", "pics", "--album", "Pics");
        // What the version before per-library journals left behind: one journal at the top of the state folder.
        var legacy = Path.Combine(StateDir(cli), Journal.FileName);
        File.Move(Path.Combine(StateFolders.JournalFolder(StateDir(cli)), Journal.FileName), legacy);
        Directory.Delete(Path.Combine(StateDir(cli), "libraries"), recursive: true);
        var requests = cli.Emulator.RequestsToday;

        var elsewhere = await cli.RunAsync("upload", "pics", "--json", "--api-url", other.BaseUrl.AbsoluteUri, "--token", otherToken);
        var legacyAfterElsewhere = File.Exists(legacy);
        var home = await cli.RunAsync("upload", "pics", "--json", "--album", "Pics");

        await Assert.That(made.ExitCode).IsEqualTo(0).Because(made.ToString());
        // Another server's library cannot prove it holds those items: the journal stays, unused, and the files go up there.
        await Assert.That(Summary(elsewhere).GetProperty("uploaded").GetInt32()).IsEqualTo(4).Because(elsewhere.ToString());
        await Assert.That(legacyAfterElsewhere).IsTrue();
        // Its own library proves it with one batchGet and takes it over: nothing is sent again.
        await Assert.That(home.Stderr).Contains("adopted the journal of an earlier q2google version");
        await Assert.That(Summary(home).GetProperty("alreadyUploaded").GetInt32()).IsEqualTo(4).Because(home.ToString());
        await Assert.That(cli.Emulator.RequestsToday - requests).IsEqualTo(1);
        await Assert.That(cli.Emulator.Requests.Last().Path).IsEqualTo("/v1/mediaItems:batchGet");
        await Assert.That(File.Exists(legacy)).IsFalse();
        await LibraryTree.AssertEachExactlyOnceAsync(cli.Harness, files);
        await Assert.That(cli.Emulator.Albums.Count).IsEqualTo(1);
    }

    [Test]
    public async Task LoginWithoutAccount_KeepsItsOwnJournal_AndALoginThatRecordsTheAccountAdoptsIt()
    {
        await using var cli = await CliFixture.StartAsync(loggedIn: false);
        // A Python token.json: no identity scopes, so no account recorded.
        var grant = cli.Emulator.CreateAuthorizedUser(user: TestAccount.Sub);
        await new FileTokenStore(cli.TokenPath).SaveAsync(grant);
        LibraryTree.Create(cli.Dir, "home/pics", small: 3);

        var old = await cli.RunAsync("upload", "pics", "--json");
        var status = await cli.RunAsync("auth", "status");
        // `auth login` once more: the same account, now with openid and email, so the login records it.
        await new FileTokenStore(cli.TokenPath).SaveAsync(cli.Emulator.CreateAuthorizedUser(TestAccount.LoginScopes(), user: TestAccount.Sub));
        var recorded = await cli.RunAsync("upload", "pics", "--json");

        await Assert.That(Summary(old).GetProperty("uploaded").GetInt32()).IsEqualTo(3).Because(old.ToString());
        await Assert.That(old.Stderr).Contains("run `q2google auth login` once to record the account");
        await Assert.That(status.Stdout).Contains("account:        not recorded");
        await Assert.That(status.Stderr).Contains("run `q2google auth login` once");
        await Assert.That(recorded.Stderr).Contains("adopted the journal kept for this OAuth client");
        await Assert.That(Summary(recorded).GetProperty("alreadyUploaded").GetInt32()).IsEqualTo(3).Because(recorded.ToString());
        await Assert.That(cli.Emulator.MediaItems.Count).IsEqualTo(3);
    }

    [Test]
    public async Task AuthStatus_ShowsTheAccountEmail()
    {
        await using var cli = await CliFixture.StartAsync();

        var status = await cli.RunAsync("auth", "status");
        var json = await cli.RunAsync("auth", "status", "--json");

        await Assert.That(status.ExitCode).IsEqualTo(0).Because(status.ToString());
        await Assert.That(status.Stdout).Contains($"account:        {TestAccount.Email}");
        await Assert.That(JsonDocument.Parse(json.Stdout).RootElement.GetProperty("account").GetString()).IsEqualTo(TestAccount.Email);
    }

    [Test]
    public async Task Identity_KeysTheFolder_ByEndpointAndAccount_NotByEmail()
    {
        var anna = new LibraryIdentity { Endpoint = "https://photoslibrary.googleapis.com:443", AccountSub = "1", AccountEmail = "a@x", ClientId = "c" };

        await Assert.That((anna with { AccountEmail = "renamed@x" }).Key).IsEqualTo(anna.Key);
        await Assert.That((anna with { ClientId = "other" }).Key).IsEqualTo(anna.Key);
        await Assert.That((anna with { AccountSub = "2" }).Key).IsNotEqualTo(anna.Key);
        await Assert.That((anna with { Endpoint = "http://127.0.0.1:8080" }).Key).IsNotEqualTo(anna.Key);
        await Assert.That((anna with { AccountSub = null }).Key).IsNotEqualTo(anna.Key);
        await Assert.That((anna with { AccountSub = null, ClientId = "other" }).Key).IsNotEqualTo((anna with { AccountSub = null }).Key);
    }
}
