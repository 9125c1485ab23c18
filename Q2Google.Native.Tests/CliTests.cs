using System.Text.Json;
using Q2Google.Api;
using Q2Google.Emulator;
using Q2Google.Tests.Infrastructure;

namespace Q2Google.Tests;

/// <summary>The real executable, run as a separate process: exit codes, stdout/stderr separation, JSON.</summary>
public class CliTests
{
    [Test]
    public async Task Upload_Json_OneLinePerFileThenSummary_Exit0()
    {
        await using var cli = await CliFixture.StartAsync();
        var a = cli.Dir.File("home/pics/a.jpg", 5000, 1);
        var b = cli.Dir.File("home/pics/b.mp4", 300_000, 2);

        var result = await cli.RunAsync("upload", "pics/a.jpg", "pics/b.mp4", "--json", "--description", "holiday");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        var lines = CliFixture.JsonLines(result);
        await Assert.That(lines.Count).IsEqualTo(3);
        // Files finish in any order (uploads run in parallel); the summary is always last.
        var photo = lines.Single(l => l.TryGetProperty("path", out var p) && p.GetString() == "pics/a.jpg");
        var video = lines.Single(l => l.TryGetProperty("path", out var p) && p.GetString() == "pics/b.mp4");
        await Assert.That(photo.GetProperty("type").GetString()).IsEqualTo("file");
        await Assert.That(photo.GetProperty("status").GetString()).IsEqualTo("uploaded");
        await Assert.That(photo.GetProperty("bytes").GetInt64()).IsEqualTo(5000);
        var id = photo.GetProperty("mediaItemId").GetString()!;
        await Assert.That(cli.Emulator.MediaItems.Single(m => m.Id == id).Sha256).IsEqualTo(TempDir.Sha256(a));
        await Assert.That(cli.Emulator.MediaItems.Single(m => m.Id == id).Description).IsEqualTo("holiday");
        await Assert.That(video.GetProperty("productUrl").GetString()).IsNotNull();
        var summary = lines[2];
        await Assert.That(summary.GetProperty("type").GetString()).IsEqualTo("summary");
        await Assert.That(summary.GetProperty("uploaded").GetInt32()).IsEqualTo(2);
        await Assert.That(summary.GetProperty("failed").GetInt32()).IsEqualTo(0);
        await Assert.That(summary.GetProperty("bytes").GetInt64()).IsEqualTo(305_000);
        await Assert.That(summary.GetProperty("requests").GetInt64()).IsEqualTo(cli.Emulator.RequestsToday);
        await Assert.That(cli.ItemsFor(b)).IsEqualTo(1);
    }

    [Test]
    public async Task Upload_BadFilesAmongGoodOnes_OthersUploaded_Exit1_OneLineErrorPerBadFile()
    {
        await using var cli = await CliFixture.StartAsync();
        var good1 = cli.Dir.File("home/good1.jpg", 2000, 1);
        var good2 = cli.Dir.File("home/good2.png", 3000, 2);
        cli.Dir.File("home/empty.jpg", 0);
        var locked = cli.Dir.File("home/locked.jpg", 100, 3);
        File.SetUnixFileMode(locked, UnixFileMode.None);

        var result = await cli.RunWithoutPermissionOverrideAsync("upload", "good1.jpg", "empty.jpg", "locked.jpg", "good2.png", "--json");

        await Assert.That(result.ExitCode).IsEqualTo(1).Because(result.ToString());
        var files = CliFixture.JsonLines(result).Where(l => l.GetProperty("type").GetString() == "file")
            .ToDictionary(l => l.GetProperty("path").GetString()!, l => l);
        await Assert.That(files["good1.jpg"].GetProperty("status").GetString()).IsEqualTo("uploaded");
        await Assert.That(files["good2.png"].GetProperty("status").GetString()).IsEqualTo("uploaded");
        // Named on the command line, so asked for: a file that cannot be uploaded has failed (in a folder walk it is a skip).
        await Assert.That(files["empty.jpg"].GetProperty("status").GetString()).IsEqualTo("failed");
        await Assert.That(files["empty.jpg"].GetProperty("reason").GetString()).Contains("empty-file");
        await Assert.That(files["locked.jpg"].GetProperty("status").GetString()).IsEqualTo("failed");
        await Assert.That(files["locked.jpg"].GetProperty("reason").GetString()).Contains("permission denied");
        var errors = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in new[] { "empty.jpg", "locked.jpg" })
        {
            await Assert.That(errors.Count(line => line.Contains(name))).IsEqualTo(1);
        }

        await Assert.That(cli.ItemsFor(good1)).IsEqualTo(1);
        await Assert.That(cli.ItemsFor(good2)).IsEqualTo(1);
    }

    [Test]
    [Arguments(new[] { "frobnicate" }, "unknown command 'frobnicate'")]
    [Arguments(new[] { "upload", "a.jpg", "--bogus" }, "unknown option '--bogus'")]
    [Arguments(new[] { "upload" }, "needs at least one argument PATH")]
    [Arguments(new[] { "media", "get" }, "needs an argument ID")]
    [Arguments(new[] { "media" }, "needs a subcommand")]
    [Arguments(new string[0], "no command given")]
    [Arguments(new[] { "upload", "a.jpg", "--chunk-size" }, "--chunk-size needs a value")]
    [Arguments(new[] { "upload", "a.jpg", "--chunk-size", "lots" }, "--chunk-size 'lots' is not a size")]
    [Arguments(new[] { "emulator", "--latency-batch-create", "2min" }, "--latency-batch-create '2min' is not a duration")]
    [Arguments(new[] { "emulator", "--latency", "5 hours" }, "--latency '5 hours' is not a duration")]
    [Arguments(new[] { "emulator", "--bandwidth", "fast" }, "--bandwidth 'fast' is not a size")]
    public async Task UsageErrors_Exit2_OneLineOnStderr_NothingOnStdout(string[] args, string message)
    {
        await using var cli = await CliFixture.StartAsync();

        var result = await cli.RunAsync(args);

        await Assert.That(result.ExitCode).IsEqualTo(2).Because(result.ToString());
        await Assert.That(result.Stdout).IsEmpty();
        await Assert.That(result.Stderr.Trim().Split('\n').Length).IsEqualTo(1);
        await Assert.That(result.Stderr).Contains(message);
        await Assert.That(result.Stderr).Contains("--help");
    }

    [Test]
    public async Task Help_And_Version_Exit0()
    {
        await using var cli = await CliFixture.StartAsync();

        var help = await cli.RunAsync("upload", "--help");
        var version = await cli.RunAsync("--version");

        await Assert.That(help.ExitCode).IsEqualTo(0);
        await Assert.That(help.Stdout).Contains("--chunk-size");
        await Assert.That(version.ExitCode).IsEqualTo(0);
        await Assert.That(version.Stdout.Trim()).Matches(@"^\d+\.\d+\.\d+");
    }

    [Test]
    public async Task Upload_NotLoggedIn_Exit3()
    {
        await using var cli = await CliFixture.StartAsync(loggedIn: false);
        cli.Dir.File("home/a.jpg", 10);

        var result = await cli.RunAsync("upload", "a.jpg");

        await Assert.That(result.ExitCode).IsEqualTo(3).Because(result.ToString());
        await Assert.That(result.Stderr).Contains("auth login");
    }

    [Test]
    public async Task Upload_MissingAppendScope_Exit3_NamesScopeAndLoginCommand()
    {
        await using var cli = await CliFixture.StartAsync(scopes: [PhotosScopes.ReadOnlyAppCreatedData]);
        cli.Dir.File("home/a.jpg", 10);

        var result = await cli.RunAsync("upload", "a.jpg");

        await Assert.That(result.ExitCode).IsEqualTo(3).Because(result.ToString());
        await Assert.That(result.Stderr).Contains("'append' scope");
        await Assert.That(result.Stderr).Contains("auth login --scopes append,read");
    }

    [Test]
    public async Task Upload_DailyQuotaExhausted_Exit4()
    {
        await using var cli = await CliFixture.StartAsync(new EmulatorOptions { DailyQuota = 2 });
        cli.Dir.File("home/a.jpg", 10, 1);
        cli.Dir.File("home/b.jpg", 10, 2);

        var result = await cli.RunAsync("upload", "a.jpg", "b.jpg");

        await Assert.That(result.ExitCode).IsEqualTo(4).Because(result.ToString());
        await Assert.That(result.Stderr).Contains("daily quota");
    }

    [Test]
    public async Task TokenFromEnvironment_RefreshedInMemory_NothingWrittenToDisk()
    {
        await using var cli = await CliFixture.StartAsync(loggedIn: false);
        var token = cli.Emulator.CreateAuthorizedUser() with { Expiry = DateTimeOffset.UtcNow.AddHours(-1) };
        var json = JsonSerializer.Serialize(token, Q2Google.Auth.TokenJsonContext.Default.AuthorizedUserToken);
        var photo = cli.Dir.File("home/a.jpg", 10);

        var result = await cli.RunAsync(["upload", "a.jpg"], new Dictionary<string, string?> { ["Q2GOOGLE_TOKEN_JSON"] = json });

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(cli.ItemsFor(photo)).IsEqualTo(1);
        await Assert.That(cli.Emulator.Requests.Count(r => r.Path == "/token")).IsEqualTo(1);
        var written = Directory.GetFiles(cli.Home, "*", SearchOption.AllDirectories);
        await Assert.That(written.Any(f => Path.GetFileName(f) == "token.json")).IsFalse();
        foreach (var file in written) await Assert.That(await File.ReadAllTextAsync(file)).DoesNotContain(token.RefreshToken!);
        await Assert.That(result.Stdout + result.Stderr).DoesNotContain(token.RefreshToken!);
    }

    [Test]
    public async Task MediaGet_HumanAndJson_AndUnknownIdExit1WithGooglesMessage()
    {
        await using var cli = await CliFixture.StartAsync();
        cli.Dir.File("home/a.jpg", 10);
        var upload = await cli.RunAsync("upload", "a.jpg", "--json");
        var id = CliFixture.JsonLines(upload)[0].GetProperty("mediaItemId").GetString()!;

        var human = await cli.RunAsync("media", "get", id);
        var json = await cli.RunAsync("media", "get", "--json", id);
        var unknown = await cli.RunAsync("media", "get", "nope");

        await Assert.That(human.ExitCode).IsEqualTo(0).Because(human.ToString());
        await Assert.That(human.Stdout).Contains("a.jpg");
        var item = JsonSerializer.Deserialize(json.Stdout, ApiJsonContext.Default.MediaItem)!;
        await Assert.That(item.Id).IsEqualTo(id);
        await Assert.That(item.MimeType).IsEqualTo("image/jpeg");
        await Assert.That(unknown.ExitCode).IsEqualTo(1);
        await Assert.That(unknown.Stderr).Contains("Invalid media item ID.");
    }

    [Test]
    public async Task ApiUrl_PlainHttpToRemoteHost_RefusedExit2()
    {
        await using var cli = await CliFixture.StartAsync();

        var result = await cli.RunAsync("media", "get", "x", "--api-url", "http://photos.example.com");

        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.Stderr).Contains("must use https://");
    }
}
