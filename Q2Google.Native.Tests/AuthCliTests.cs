using System.Text.Json;
using Q2Google.Auth;
using Q2Google.Emulator;
using Q2Google.Tests.Infrastructure;

namespace Q2Google.Tests;

/// <summary>`auth …` as users run it: the real executable against the emulator, no browser on the machine.</summary>
public class AuthCliTests
{
    private static async Task<CliFixture> StartAsync(EmulatorOptions? options = null)
    {
        var cli = await CliFixture.StartAsync(options, loggedIn: false);
        var config = Path.Combine(cli.Home, ".config", "q2google");
        Directory.CreateDirectory(config);
        await File.WriteAllTextAsync(Path.Combine(config, "client_secret.json"), cli.Emulator.ClientSecretJson());
        return cli;
    }

    private static CliProcess Start(CliFixture cli, params string[] args) =>
        new(cli.Home, args, new Dictionary<string, string?> { ["Q2GOOGLE_API_URL"] = cli.Emulator.BaseUrl.AbsoluteUri });

    private static async Task<Uri> AuthorizationUrlAsync(CliProcess process) =>
        new((await process.WaitForStderrLineAsync(l => l.Contains("/o/oauth2/auth?", StringComparison.Ordinal))).Trim());

    [Test]
    public async Task Login_BrowserLikeClientFollowsPrintedUrl_ThenUploadAndStatusCheckWork()
    {
        await using var cli = await StartAsync();
        using var login = Start(cli, "auth", "login", "--no-browser");

        var page = await TestBrowser.FollowAsync(await AuthorizationUrlAsync(login));
        var result = await login.WaitForExitAsync();

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(page).Contains("You can close this tab");
        await Assert.That(result.Stdout).Contains($"Logged in as {TestAccount.Email}. Granted: append, read, openid, email");
        // The account whose library the journal will describe, from the id_token Google sent with the login.
        var saved = FileTokenStore.Parse(await File.ReadAllBytesAsync(cli.TokenPath), "token");
        await Assert.That(saved.AccountSub).IsEqualTo(TestAccount.Sub);
        await Assert.That(saved.AccountEmail).IsEqualTo(TestAccount.Email);
        await Assert.That(File.GetUnixFileMode(cli.TokenPath)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await Assert.That(File.GetUnixFileMode(Path.GetDirectoryName(cli.TokenPath)!) & (UnixFileMode)0b000_111_111).IsEqualTo(UnixFileMode.None);
        var photo = cli.Dir.File("home/a.jpg", 1000);
        var upload = await cli.RunAsync("upload", "a.jpg");
        var status = await cli.RunAsync("auth", "status", "--check");
        await Assert.That(upload.ExitCode).IsEqualTo(0).Because(upload.ToString());
        await Assert.That(cli.ItemsFor(photo)).IsEqualTo(1);
        await Assert.That(status.ExitCode).IsEqualTo(0).Because(status.ToString());
        await Assert.That(status.Stdout).Contains("check:          ok");
        await Assert.That(status.Stdout).Contains($"account:        {TestAccount.Email}");
        await AssertNoSecretsAsync(cli, result, upload, status);
    }

    [Test]
    public async Task LoginWithIdentityScopesButNoAccountSaved_LearnsItFromTheRefreshOrTokeninfo_AndSavesIt()
    {
        await using var cli = await StartAsync();
        var grant = cli.Emulator.CreateAuthorizedUser(TestAccount.LoginScopes()) with { AccountSub = null, AccountEmail = null };
        cli.Dir.File("home/a.jpg", 1000);
        // Fresh access token: no refresh needed, so tokeninfo is asked.
        await new FileTokenStore(cli.TokenPath).SaveAsync(grant);
        var viaTokenInfo = await cli.RunAsync("upload", "a.jpg");
        var afterTokenInfo = FileTokenStore.Parse(await File.ReadAllBytesAsync(cli.TokenPath), "token");
        // Expired access token: the refresh's id_token names the account.
        await new FileTokenStore(cli.TokenPath).SaveAsync(grant with { Expiry = DateTimeOffset.UtcNow.AddHours(-1) });
        var viaRefresh = await cli.RunAsync("upload", "a.jpg");
        var afterRefresh = FileTokenStore.Parse(await File.ReadAllBytesAsync(cli.TokenPath), "token");

        await Assert.That(viaTokenInfo.ExitCode).IsEqualTo(0).Because(viaTokenInfo.ToString());
        await Assert.That(viaTokenInfo.Stderr).DoesNotContain("does not say which Google account");
        await Assert.That(afterTokenInfo.AccountSub).IsEqualTo(TestAccount.Sub);
        await Assert.That(afterTokenInfo.AccountEmail).IsEqualTo(TestAccount.Email);
        await Assert.That(cli.Emulator.Requests.Count(r => r.Path == "/tokeninfo")).IsEqualTo(1);
        await Assert.That(viaRefresh.ExitCode).IsEqualTo(0).Because(viaRefresh.ToString());
        await Assert.That(viaRefresh.Stdout).Contains("already-uploaded");
        await Assert.That(afterRefresh.AccountSub).IsEqualTo(TestAccount.Sub);
        await Assert.That(cli.Emulator.Requests.Count(r => r.Path == "/tokeninfo")).IsEqualTo(1);
    }

    [Test]
    public async Task Login_PasteBack_NoBrowserAnywhere()
    {
        await using var cli = await StartAsync();
        using var login = Start(cli, "auth", "login", "--scopes", "append,read,edit");

        // The browser on "another machine" reaches Google; its redirect to this machine's 127.0.0.1 fails.
        var redirect = await TestBrowser.RedirectOfAsync(await AuthorizationUrlAsync(login));
        await login.TypeAsync(redirect.AbsoluteUri);
        var result = await login.WaitForExitAsync();

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(result.Stdout).Contains("Granted: append, read, edit");
        await AssertNoSecretsAsync(cli, result);
    }

    [Test]
    public async Task Login_AccessDenied_Exit3_NoTokenWritten()
    {
        await using var cli = await StartAsync(new EmulatorOptions { DenyConsent = true });
        using var login = Start(cli, "auth", "login", "--no-browser");

        await TestBrowser.FollowAsync(await AuthorizationUrlAsync(login));
        var result = await login.WaitForExitAsync();

        await Assert.That(result.ExitCode).IsEqualTo(3).Because(result.ToString());
        await Assert.That(result.Stderr).Contains("access_denied");
        await Assert.That(File.Exists(cli.TokenPath)).IsFalse();
    }

    [Test]
    public async Task Login_Timeout_Exit3()
    {
        await using var cli = await StartAsync();

        var result = await cli.RunAsync("auth", "login", "--no-browser", "--timeout", "1");

        await Assert.That(result.ExitCode).IsEqualTo(3).Because(result.ToString());
        await Assert.That(result.Stderr).Contains("no answer from Google within 1 s");
    }

    [Test]
    [Arguments("""{"web":{"client_id":"x","client_secret":"y","auth_uri":"https://a","token_uri":"https://t"}}""", "Desktop app")]
    [Arguments("""{"installed":{"client_secret":"y","auth_uri":"https://a","token_uri":"https://t"}}""", "no client_id")]
    [Arguments("""{ nope""", "not a valid OAuth client file")]
    [Arguments(null, "no OAuth client file")]
    public async Task Login_BadClientSecrets_Exit2_OneLine(string? content, string message)
    {
        await using var cli = await CliFixture.StartAsync(loggedIn: false);
        if (content is not null) cli.Dir.Text("home/secrets.json", content);

        var result = await cli.RunAsync("auth", "login", "--client-secrets", "secrets.json", "--no-browser");

        await Assert.That(result.ExitCode).IsEqualTo(2).Because(result.ToString());
        await Assert.That(result.Stderr).Contains(message);
        await Assert.That(result.Stderr.Trim().Split('\n').Length).IsEqualTo(1);
    }

    [Test]
    public async Task RevokedRefreshToken_WeekOldLogin_UploadAndStatusExit3WithTestingHint()
    {
        await using var cli = await StartAsync();
        var token = cli.Emulator.CreateAuthorizedUser() with { Expiry = DateTimeOffset.UtcNow.AddHours(-1), LoginTime = DateTimeOffset.UtcNow.AddDays(-7).AddMinutes(-5) };
        await new FileTokenStore(cli.TokenPath).SaveAsync(token);
        var before = await File.ReadAllBytesAsync(cli.TokenPath);
        cli.Emulator.RevokeAllGrants();
        cli.Dir.File("home/a.jpg", 10);

        var upload = await cli.RunAsync("upload", "a.jpg");
        var status = await cli.RunAsync("auth", "status", "--check", "--json");

        await Assert.That(upload.ExitCode).IsEqualTo(3).Because(upload.ToString());
        await Assert.That(upload.Stderr).Contains("invalid_grant");
        await Assert.That(upload.Stderr).Contains("\"Testing\"");
        await Assert.That(upload.Stderr).Contains("Publish app");
        await Assert.That(status.ExitCode).IsEqualTo(3).Because(status.ToString());
        using var json = JsonDocument.Parse(status.Stdout);
        await Assert.That(json.RootElement.GetProperty("check").GetString()).IsEqualTo("failed");
        await Assert.That(json.RootElement.GetProperty("usable").GetBoolean()).IsFalse();
        await Assert.That(await File.ReadAllBytesAsync(cli.TokenPath)).IsEquivalentTo(before);
        await AssertNoSecretsAsync(cli, upload, status);
    }

    [Test]
    public async Task Status_NotLoggedIn_Exit3_CorruptFile_Exit3AndFileKept()
    {
        await using var cli = await StartAsync();
        var none = await cli.RunAsync("auth", "status");
        Directory.CreateDirectory(Path.GetDirectoryName(cli.TokenPath)!);
        await File.WriteAllTextAsync(cli.TokenPath, "{\"refresh_token\": \"1//SECRETVALUE\", oops");
        var corrupt = await cli.RunAsync("auth", "status");
        cli.Dir.File("home/a.jpg", 10);
        var upload = await cli.RunAsync("upload", "a.jpg");

        await Assert.That(none.ExitCode).IsEqualTo(3);
        await Assert.That(none.Stderr).Contains("not logged in");
        await Assert.That(corrupt.ExitCode).IsEqualTo(3);
        await Assert.That(corrupt.Stderr).Contains("not a valid token file");
        await Assert.That(upload.ExitCode).IsEqualTo(3);
        await Assert.That(upload.Stderr + corrupt.Stderr + corrupt.Stdout).DoesNotContain("SECRETVALUE");
        await Assert.That(await File.ReadAllTextAsync(cli.TokenPath)).Contains("oops");
    }

    [Test]
    public async Task Status_SixAndAHalfDaysAfterLogin_WarnsAboutTestingExpiry()
    {
        await using var cli = await StartAsync();
        await new FileTokenStore(cli.TokenPath).SaveAsync(cli.Emulator.CreateAuthorizedUser() with { LoginTime = DateTimeOffset.UtcNow.AddDays(-6.5) });

        var status = await cli.RunAsync("auth", "status");

        await Assert.That(status.ExitCode).IsEqualTo(0);
        await Assert.That(status.Stderr).Contains("\"Testing\"");
        await Assert.That(status.Stdout).Contains("6.5 days ago");
    }

    [Test]
    public async Task ExportThenImportOnAnotherMachine_UploadWorksThere()
    {
        await using var cli = await StartAsync();
        await new FileTokenStore(cli.TokenPath).SaveAsync(cli.Emulator.CreateAuthorizedUser());
        var nas = cli.Dir.Combine("nas-home");
        Directory.CreateDirectory(nas);

        var exported = await cli.RunAsync("auth", "export");
        var imported = await CliRunner.RunAsync(nas, ["auth", "import", "-"], null, stdin: exported.Stdout);
        var photo = cli.Dir.File("nas-home/a.jpg", 100);
        var upload = await CliRunner.RunAsync(nas, ["upload", "a.jpg"], new Dictionary<string, string?> { ["Q2GOOGLE_API_URL"] = cli.Emulator.BaseUrl.AbsoluteUri });

        await Assert.That(exported.ExitCode).IsEqualTo(0);
        await Assert.That(imported.ExitCode).IsEqualTo(0).Because(imported.ToString());
        var nasToken = Path.Combine(nas, ".config", "q2google", "token.json");
        await Assert.That(File.GetUnixFileMode(nasToken)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await Assert.That(upload.ExitCode).IsEqualTo(0).Because(upload.ToString());
        await Assert.That(cli.ItemsFor(photo)).IsEqualTo(1);
        await Assert.That(imported.Stdout + imported.Stderr).DoesNotContain("1//");
    }

    [Test]
    public async Task Import_Garbage_Exit2_NothingWritten()
    {
        await using var cli = await StartAsync();

        var result = await CliRunner.RunAsync(cli.Home, ["auth", "import", "-"], null, stdin: "{\"token\": \"ya29.x\"}");

        await Assert.That(result.ExitCode).IsEqualTo(2).Because(result.ToString());
        await Assert.That(result.Stderr).Contains("no refresh_token");
        await Assert.That(File.Exists(cli.TokenPath)).IsFalse();
    }

    [Test]
    public async Task LogoutRevoke_RevokesAtGoogleAndRemovesFile()
    {
        await using var cli = await StartAsync();
        var token = cli.Emulator.CreateAuthorizedUser();
        await new FileTokenStore(cli.TokenPath).SaveAsync(token);

        var result = await cli.RunAsync("auth", "logout", "--revoke");
        var again = await cli.RunAsync("auth", "logout");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(File.Exists(cli.TokenPath)).IsFalse();
        await Assert.That(cli.Emulator.Requests.Count(r => r.Path == "/revoke" && r.Status == 200)).IsEqualTo(1);
        await Assert.That(again.ExitCode).IsEqualTo(0);
        await Assert.That(again.Stdout).Contains("nothing to do");
        // The grant is dead at "Google": the old refresh token no longer works.
        var store = new InMemoryTokenStore(token with { Expiry = DateTimeOffset.UtcNow.AddHours(-1) }, "old");
        await Assert.That(() => cli.Harness.CreateApi(store).InitUploadSessionAsync("image/jpeg", 1, "a.jpg")).Throws<AuthenticationRequiredException>();
    }

    /// <summary>No access or refresh token the emulator ever issued may appear in anything the CLI printed.</summary>
    private static async Task AssertNoSecretsAsync(CliFixture cli, params CliResult[] results)
    {
        var printed = string.Concat(results.Select(r => r.Stdout + r.Stderr));
        foreach (var secret in cli.Emulator.IssuedSecrets())
        {
            await Assert.That(printed).DoesNotContain(secret);
        }
    }
}
