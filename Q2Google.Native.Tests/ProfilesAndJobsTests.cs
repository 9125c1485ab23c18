using System.Text.Json;
using Q2Google.Auth;
using Q2Google.Tests.Infrastructure;

namespace Q2Google.Tests;

/// <summary>
/// One login per person (<c>--profile</c>) and jobs in a file (<c>run</c>), against one emulator playing two accounts
/// (anna and ben) of one OAuth client: each person's files go to their own library, the jobs file is checked
/// strictly before anything is sent, and the jobs share the client's quota.
/// </summary>
public class ProfilesAndJobsTests
{
    private static async Task LogInAsync(CliFixture cli, string profile) =>
        await new FileTokenStore(Path.Combine(cli.Home, ".config", "q2google", "profiles", profile, "token.json"))
            .SaveAsync(cli.Emulator.CreateAuthorizedUser(TestAccount.LoginScopes(), user: profile, email: profile + "@example.com"));

    private static string JobsFile(CliFixture cli, string json) => cli.Dir.Text("home/.config/q2google/jobs.json", json);

    [Test]
    public async Task EachProfile_UploadsToItsOwnLibrary_AndAuthStatusListsThemAll()
    {
        await using var cli = await CliFixture.StartAsync();
        await LogInAsync(cli, "anna");
        await LogInAsync(cli, "ben");
        var photo = cli.Dir.File("home/shared/photo.jpg", 20_000);

        var anna = await cli.RunAsync("upload", "--profile", "anna", "shared");
        var annaAgain = await cli.RunAsync("upload", "--profile", "anna", "--json", "shared");
        var ben = await cli.RunAsync(["upload", "shared"], new Dictionary<string, string?> { ["Q2GOOGLE_PROFILE"] = "ben" });
        var status = await cli.RunAsync("auth", "status");
        var statusJson = await cli.RunAsync("auth", "status", "--profile", "anna", "--json");

        await Assert.That(anna.ExitCode).IsEqualTo(0).Because(anna.ToString());
        await Assert.That(annaAgain.Stdout).Contains("\"already-uploaded\"");
        await Assert.That(ben.ExitCode).IsEqualTo(0).Because(ben.ToString());
        await Assert.That(ben.Stdout).Contains("uploaded ").Because("ben's library did not have it: " + ben);
        var owners = cli.Emulator.MediaItems.Select(m => m.User).Order().ToList();
        await Assert.That(owners).IsEquivalentTo(["anna", "ben"]);
        await Assert.That(status.Stdout).Contains("profiles:");
        await Assert.That(status.Stdout).Contains("(default)");
        await Assert.That(status.Stdout).Contains("anna@example.com");
        await Assert.That(status.Stdout).Contains("ben@example.com");
        var report = JsonDocument.Parse(statusJson.Stdout).RootElement;
        await Assert.That(report.GetProperty("profile").GetString()).IsEqualTo("anna");
        await Assert.That(report.GetProperty("account").GetString()).IsEqualTo("anna@example.com");
        await Assert.That(report.GetProperty("profiles").GetArrayLength()).IsEqualTo(3);
        foreach (var secret in cli.Emulator.IssuedSecrets()) await Assert.That(status.Stdout + status.Stderr + statusJson.Stdout).DoesNotContain(secret);
        await Assert.That(File.Exists(photo)).IsTrue();
    }

    [Test]
    public async Task Run_ServesEveryJob_IntoItsProfilesLibrary_AndSaysTheyShareTheClientsQuota()
    {
        await using var cli = await CliFixture.StartAsync();
        await LogInAsync(cli, "anna");
        await LogInAsync(cli, "ben");
        var annas = cli.Dir.File("home/anna/a.jpg", 20_000, seed: 1);
        var bens = cli.Dir.File("home/ben/b.jpg", 20_000, seed: 2);
        JobsFile(cli, $$"""
            {
              // Each person's phone-sync folder into their own account.
              "jobs": [
                { "name": "anna-phone", "profile": "anna", "paths": ["{{Path.GetDirectoryName(annas)}}"], "album": "Phone" },
                { "name": "ben-phone", "profile": "ben", "paths": "{{Path.GetDirectoryName(bens)}}", },
              ],
            }
            """);

        var plan = await cli.RunAsync("run", "--dry-run");
        var itemsAfterPlan = cli.Emulator.MediaItems.Count;
        var run = await cli.RunAsync("run", "--json");
        var status = await cli.RunAsync("status", "--profile", "ben");

        await Assert.That(plan.ExitCode).IsEqualTo(0).Because(plan.ToString());
        await Assert.That(plan.Stdout).Contains("anna-phone: plan: 1 file to upload");
        await Assert.That(plan.Stdout).Contains("ben-phone: plan: 1 file to upload");
        await Assert.That(itemsAfterPlan).IsEqualTo(0);
        await Assert.That(run.ExitCode).IsEqualTo(0).Because(run.ToString());
        await Assert.That(run.Stderr).Contains("jobs anna-phone, ben-phone share the daily quota of OAuth client");
        var summaries = CliFixture.JsonLines(run).Where(l => l.GetProperty("type").GetString() == "summary").ToList();
        await Assert.That(summaries.Select(s => s.GetProperty("job").GetString()!).Order().ToList()).IsEquivalentTo(["anna-phone", "ben-phone"]);
        await Assert.That(cli.Harness.ItemsWithContentOf(annas).Single().User).IsEqualTo("anna");
        await Assert.That(cli.Harness.ItemsWithContentOf(bens).Single().User).IsEqualTo("ben");
        await Assert.That(cli.Emulator.Albums.Single().Title).IsEqualTo("Phone");
        await Assert.That(status.Stdout).Contains("job anna-phone: profile anna; not running; last pass finished");
        await Assert.That(status.Stdout).Contains("job ben-phone: profile ben");
    }

    [Test]
    public async Task TwoProfilesOfOneAccount_ShareOneJournal_AndTakeTurns()
    {
        await using var cli = await CliFixture.StartAsync();
        await LogInAsync(cli, "anna");
        // The same Google account logged in a second time, under another profile name.
        await new FileTokenStore(Path.Combine(cli.Home, ".config", "q2google", "profiles", "anna2", "token.json"))
            .SaveAsync(cli.Emulator.CreateAuthorizedUser(TestAccount.LoginScopes(), user: "anna", email: "anna@example.com"));
        var photo = cli.Dir.File("home/one/a.jpg", 20_000, seed: 1);
        Directory.CreateDirectory(cli.Dir.Combine("home", "two"));
        File.Copy(photo, cli.Dir.Combine("home", "two", "a-copy.jpg"));
        JobsFile(cli, $$"""
            { "jobs": [
                { "name": "one", "profile": "anna", "paths": ["{{cli.Dir.Combine("home", "one")}}"] },
                { "name": "two", "profile": "anna2", "paths": ["{{cli.Dir.Combine("home", "two")}}"] } ] }
            """);

        var run = await cli.RunAsync("run");

        await Assert.That(run.ExitCode).IsEqualTo(0).Because(run.ToString());
        await Assert.That(cli.ItemsFor(photo)).IsEqualTo(1).Because("one library, one journal: the copy is known by its content");
        await Assert.That(run.Stdout).Contains("already-uploaded");
    }

    [Test]
    [Arguments("""{ "jobs": [ { "name": "anna", "paths": ["HOME/pics"], "albm": "x" } ] }""", "job anna: \"albm\" is not a job key", "did you mean album?")]
    [Arguments("""{ "jobs": [ { "name": "anna", "paths": ["HOME/nowhere"] } ] }""", "job anna: \"paths\" 'HOME/nowhere' does not exist", null)]
    [Arguments("""{ "jobs": [ { "name": "anna", "profile": "carol", "paths": ["HOME/pics"] } ] }""", "job anna: \"profile\" 'carol' has no login", "auth login --profile carol")]
    [Arguments("""{ "jobs": [ { "name": "anna", "paths": ["pics"] } ] }""", "job anna: \"paths\" 'pics' must be an absolute path", null)]
    [Arguments("""{ "jobs": [ { "name": "a", "paths": ["HOME/pics"] }, { "name": "a", "paths": ["HOME/pics"] } ] }""", "job a: \"name\" is used by an earlier job", null)]
    [Arguments("""{ "jobs": [ { "name": "a", "paths": ["HOME/pics"], "album": "x", "albumPerFolder": true } ] }""", "use only one of album, albumId and albumPerFolder", null)]
    [Arguments("""{ "jobs": [ { "name": "a" "paths": [] } ] }""", "is not valid JSON (line 1)", null)]
    [Arguments("""{ "job": [] }""", "\"job\" is not a key of a jobs file", null)]
    public async Task AJobsFileMistake_IsOneLineNamingTheJobAndKey_Exit2_BeforeAnyUpload(string json, string expected, string? hint)
    {
        await using var cli = await CliFixture.StartAsync();
        cli.Dir.File("home/pics/a.jpg", 5_000);
        var path = JobsFile(cli, json.Replace("HOME", cli.Home, StringComparison.Ordinal));

        var run = await cli.RunAsync("run");

        await Assert.That(run.ExitCode).IsEqualTo(2).Because(run.ToString());
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await Assert.That(lines.Length).IsEqualTo(1).Because(run.Stderr);
        await Assert.That(lines[0]).Contains(path);
        await Assert.That(lines[0]).Contains(expected.Replace("HOME", cli.Home, StringComparison.Ordinal));
        if (hint is not null) await Assert.That(lines[0]).Contains(hint);
        await Assert.That(cli.Emulator.MediaItems).IsEmpty();
    }

    [Test]
    public async Task Run_WithNoJobsFile_SaysWhereItLooked_Exit2()
    {
        await using var cli = await CliFixture.StartAsync();

        var run = await cli.RunAsync("run");

        await Assert.That(run.ExitCode).IsEqualTo(2);
        await Assert.That(run.Stderr).Contains(Path.Combine(cli.Home, ".config", "q2google", "jobs.json"));
    }

    [Test]
    public async Task StatusHealth_IsZeroAfterARecentPass_AndOneWithWhy_WhenTheLastPassIsTooOld()
    {
        await using var cli = await CliFixture.StartAsync();
        cli.Dir.File("home/pics/a.jpg", 5_000);

        var before = await cli.RunAsync("status", "--health");
        await cli.RunAsync("upload", "pics");
        var fresh = await cli.RunAsync("status", "--health");
        await Task.Delay(1100);
        var stale = await cli.RunAsync("status", "--health", "--max-age", "1s");

        await Assert.That(before.ExitCode).IsEqualTo(1);
        await Assert.That(before.Stderr).Contains("no upload or job has run");
        await Assert.That(fresh.ExitCode).IsEqualTo(0).Because(fresh.ToString());
        await Assert.That(fresh.Stdout).Contains("healthy: upload");
        await Assert.That(stale.ExitCode).IsEqualTo(1);
        await Assert.That(stale.Stderr.Trim()).StartsWith("q2google: unhealthy: upload: its last pass finished");
    }
}
