using System.Text.Json;
using Q2Google.Api;
using Q2Google.Auth;
using Q2Google.Emulator;
using Q2Google.Tests.Infrastructure;

namespace Q2Google.Tests;

/// <summary>
/// A run that serves for weeks: it says it waits for the quota and until when (NDJSON and status), `run --watch`
/// serves every job at once, and a login renewed while it runs is picked up without a restart.
/// </summary>
public class ServiceTests
{
    [Test]
    public async Task WaitForQuota_SaysItWaits_UntilFivePastMidnightInLosAngeles_InNdjsonAndStatus()
    {
        await using var cli = await CliFixture.StartAsync(new EmulatorOptions { DailyQuota = 2 });
        foreach (var i in Enumerable.Range(1, 3)) cli.Dir.File($"home/pics/{i}.jpg", 10_000, seed: i);
        using var run = new CliProcess(cli.Home, ["upload", "--wait-for-quota", "--json", "pics"],
            new Dictionary<string, string?> { ["Q2GOOGLE_API_URL"] = cli.Emulator.BaseUrl.AbsoluteUri });

        var line = await run.WaitForStdoutLineAsync(l => l.Contains("\"type\":\"waiting\"", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var expected = Failures.QuotaDay.NextReset(DateTimeOffset.UtcNow) + TimeSpan.FromMinutes(5);
        var status = await cli.RunAsync("status", "--json");
        var text = await cli.RunAsync("status");
        run.Signal(15);
        var stopped = await run.WaitForExitAsync(TimeSpan.FromSeconds(10));

        var waiting = JsonDocument.Parse(line).RootElement;
        await Assert.That(waiting.GetProperty("reason").GetString()).IsEqualTo("quota");
        await Assert.That(waiting.GetProperty("until").GetDateTimeOffset()).IsEqualTo(expected);
        var job = JsonDocument.Parse(status.Stdout).RootElement.GetProperty("jobs")[0];
        await Assert.That(job.GetProperty("waitingUntil").GetDateTimeOffset()).IsEqualTo(expected);
        await Assert.That(job.GetProperty("watching").GetBoolean()).IsTrue();
        await Assert.That(text.Stdout).Contains("waiting for the daily quota until ");
        await Assert.That(stopped.Stderr).DoesNotContain("run again after midnight").Because("it waits; it does not ask to be run again");
        await Assert.That(stopped.ExitCode).IsEqualTo(130);
    }

    [Test]
    public async Task RunWatch_ServesEveryJobAtOnce_AndEndsOnSigterm()
    {
        await using var cli = await CliFixture.StartAsync();
        var token = cli.Emulator.CreateAuthorizedUser(TestAccount.LoginScopes(), user: "anna", email: "anna@example.com");
        await new FileTokenStore(Path.Combine(cli.Home, ".config", "q2google", "profiles", "anna", "token.json")).SaveAsync(token);
        Directory.CreateDirectory(cli.Dir.Combine("home", "mine"));
        Directory.CreateDirectory(cli.Dir.Combine("home", "annas"));
        cli.Dir.Text("home/.config/q2google/jobs.json", $$"""
            { "jobs": [
                { "name": "mine", "paths": ["{{cli.Dir.Combine("home", "mine")}}"] },
                { "name": "annas", "profile": "anna", "paths": ["{{cli.Dir.Combine("home", "annas")}}"], "album": "Anna" } ] }
            """);
        // A one-shot upload of long ago left its status: while a run serves jobs, health is about them.
        await cli.RunAsync("upload", cli.Dir.Combine("home", "mine"));
        using var run = new CliProcess(cli.Home, ["run", "--watch", "--settle", "1s", "--json"],
            new Dictionary<string, string?> { ["Q2GOOGLE_API_URL"] = cli.Emulator.BaseUrl.AbsoluteUri });
        await run.WaitForStdoutLineAsync(l => l.Contains("\"job\":\"mine\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        await run.WaitForStdoutLineAsync(l => l.Contains("\"job\":\"annas\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        var mine = cli.Dir.File("home/mine/m.jpg", 12_000, seed: 1);
        var annas = cli.Dir.File("home/annas/a.jpg", 12_000, seed: 2);
        await run.WaitForStdoutLineAsync(l => l.Contains(mine, StringComparison.Ordinal) && l.Contains("\"uploaded\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        await run.WaitForStdoutLineAsync(l => l.Contains(annas, StringComparison.Ordinal) && l.Contains("\"uploaded\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var health = await cli.RunAsync("status", "--health");
        run.Signal(15);
        var stopped = await run.WaitForExitAsync(TimeSpan.FromSeconds(10));

        await Assert.That(cli.Harness.ItemsWithContentOf(mine).Single().User).IsEqualTo(cli.Emulator.Options.AccountSub);
        await Assert.That(cli.Harness.ItemsWithContentOf(annas).Single().User).IsEqualTo("anna");
        await Assert.That(cli.Emulator.Albums.Single().Title).IsEqualTo("Anna");
        await Assert.That(health.ExitCode).IsEqualTo(0).Because(health.ToString());
        await Assert.That(health.Stdout.Trim()).IsEqualTo("healthy: annas, mine");
        await Assert.That(stopped.ExitCode).IsEqualTo(130).Because(stopped.ToString());
    }

    [Test]
    public async Task ALoginRenewedWhileRunning_IsPickedUp_ButAnotherAccountsIsRefused()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var store = new FileTokenStore(harness.Dir.Combine("config", "token.json"));
        await store.SaveAsync(harness.Emulator.CreateAuthorizedUser(TestAccount.LoginScopes()));
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        var oauth = new GooglePhotosOAuth("", PhotosScopes.Default, store, new OAuthTokenClient(http, TimeProvider.System), new NoBrowser(),
            TextReader.Null, TextWriter.Null, TimeProvider.System);
        var first = await oauth.GetAccessTokenAsync();

        // The grant is revoked (say, the app left "Testing"), and the person logs in again beside the running service.
        harness.Emulator.RevokeAllGrants();
        await store.SaveAsync(harness.Emulator.CreateAuthorizedUser(TestAccount.LoginScopes()));
        var renewed = await oauth.RefreshAsync(first);
        harness.Emulator.RevokeAllGrants();
        await store.SaveAsync(harness.Emulator.CreateAuthorizedUser(TestAccount.LoginScopes(), user: "ben", email: "ben@example.com"));
        var refused = await Assert.ThrowsAsync<AuthenticationRequiredException>(() => oauth.RefreshAsync(renewed));

        await Assert.That(renewed).IsNotEqualTo(first);
        await Assert.That(refused!.Message).Contains("was replaced by one for ben@example.com");
    }
}
