using System.Net;
using System.Net.Sockets;
using Q2Google.Api;
using Q2Google.Auth;
using Q2Google.Emulator;
using Q2Google.Failures;
using Q2Google.Http;
using Q2Google.Tests.Infrastructure;

namespace Q2Google.Tests;

/// <summary>The loopback login against the emulator's consent page and token endpoint, in process.</summary>
public class LoginTests
{
    private sealed class Login : IAsyncDisposable
    {
        public required EmulatorHarness Harness { get; init; }
        public required string SecretsPath { get; init; }
        public required string TokenPath { get; init; }
        public PromptCapture Prompt { get; } = new();
        public TypedInput Input { get; } = new();
        public HttpClient Http { get; } = new(new SocketsHttpHandler { AllowAutoRedirect = false });

        public static async Task<Login> StartAsync(EmulatorOptions? options = null)
        {
            var harness = await EmulatorHarness.StartAsync(options);
            var secrets = harness.Dir.Combine("client_secret.json");
            await File.WriteAllTextAsync(secrets, harness.Emulator.ClientSecretJson());
            return new Login { Harness = harness, SecretsPath = secrets, TokenPath = harness.Dir.Combine("config", "token.json") };
        }

        public GooglePhotosOAuth OAuth(IOAuthBrowser browser, IReadOnlyList<string>? scopes = null) =>
            new(SecretsPath, scopes ?? PhotosScopes.Default, new FileTokenStore(TokenPath), new OAuthTokenClient(Http, TimeProvider.System),
                browser, Input, Prompt, TimeProvider.System);

        public async ValueTask DisposeAsync()
        {
            Input.End();
            Http.Dispose();
            await Harness.DisposeAsync();
        }
    }

    [Test]
    public async Task Login_WithBrowser_SavesWorkingToken0600_AndShowsCloseTabPage()
    {
        await using var login = await Login.StartAsync();
        var browser = new TestBrowser();

        var token = await login.OAuth(browser).AuthorizeInteractiveAsync(new LoginOptions { Timeout = TimeSpan.FromSeconds(30) });

        await Assert.That(await browser.FinalPage).Contains("You can close this tab");
        // The Photos scopes asked for, plus openid and email, which name the account the journal is kept for.
        await Assert.That(PhotosScopes.Default.All(token.Scopes!.Contains)).IsTrue().Because(string.Join(" ", token.Scopes!));
        await Assert.That(token.Scopes!.Contains("openid")).IsTrue();
        await Assert.That(token.RefreshToken).IsNotNull();
        await Assert.That(token.TokenUri).IsEqualTo(login.Harness.Emulator.TokenUri.AbsoluteUri);
        await Assert.That(File.GetUnixFileMode(login.TokenPath)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var url = browser.OpenedUrl!.Query;
        await Assert.That(url).Contains("code_challenge_method=S256");
        await Assert.That(url).Contains("access_type=offline");
        await Assert.That(url).Contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A");
        var api = login.Harness.CreateApi(new FileTokenStore(login.TokenPath));
        await Assert.That((await api.InitUploadSessionAsync("image/jpeg", 1, "a.jpg")).Status).IsEqualTo(UploadStatus.Active);
        await Assert.That(login.Prompt.Text).DoesNotContain(token.RefreshToken!);
        await Assert.That(login.Prompt.Text).DoesNotContain(token.Token!);
    }

    [Test]
    public async Task Login_NoBrowser_PastedRedirectUrl_Works()
    {
        await using var login = await Login.StartAsync();
        var running = login.OAuth(new NoBrowser()).AuthorizeInteractiveAsync(new LoginOptions { Timeout = TimeSpan.FromSeconds(30) });

        // The user's browser is on a laptop: it reaches Google, but the redirect to 127.0.0.1 on the NAS fails to load.
        var redirect = await TestBrowser.RedirectOfAsync(await login.Prompt.AuthorizationUrl);
        login.Input.Type("   " + redirect.AbsoluteUri + "  ");
        var token = await running;

        await Assert.That(token.RefreshToken).IsNotNull();
        await Assert.That(File.Exists(login.TokenPath)).IsTrue();
        await Assert.That(login.Prompt.Text).Contains("paste it here");
    }

    [Test]
    public async Task Login_NoBrowser_PastedBareCode_Works()
    {
        await using var login = await Login.StartAsync();
        var running = login.OAuth(new NoBrowser()).AuthorizeInteractiveAsync(new LoginOptions { NoBrowser = true, Timeout = TimeSpan.FromSeconds(30) });

        var redirect = await TestBrowser.RedirectOfAsync(await login.Prompt.AuthorizationUrl);
        var code = AuthorizationCallback.FromQuery(Q2Google.Http.HttpRequestHead.ParseQuery(redirect.Query.TrimStart('?'))).Code!;
        login.Input.Type("not a code");
        login.Input.Type(Uri.EscapeDataString(code));
        var token = await running;

        await Assert.That(token.RefreshToken).IsNotNull();
        await Assert.That(login.Prompt.Text).Contains("That is not the redirected address");
    }

    [Test]
    public async Task Login_WrongState_RejectedAndListenerKeepsWaiting()
    {
        await using var login = await Login.StartAsync();
        var running = login.OAuth(new NoBrowser()).AuthorizeInteractiveAsync(new LoginOptions { Timeout = TimeSpan.FromSeconds(30) });
        var redirect = await TestBrowser.RedirectOfAsync(await login.Prompt.AuthorizationUrl);
        var forged = new Uri(redirect.AbsoluteUri.Replace("state=", "state=forged", StringComparison.Ordinal));
        var stateless = new Uri(System.Text.RegularExpressions.Regex.Replace(redirect.AbsoluteUri, "state=[^&]*&", ""));

        using var http = new HttpClient();
        using var forgedAnswer = await http.GetAsync(forged);
        using var statelessAnswer = await http.GetAsync(stateless);
        login.Input.Type(forged.AbsoluteUri);
        await Assert.That(running.IsCompleted).IsFalse();
        using var realAnswer = await http.GetAsync(redirect);
        var token = await running;

        await Assert.That(forgedAnswer.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(statelessAnswer.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(await forgedAnswer.Content.ReadAsStringAsync()).Contains("does not belong to this login");
        await Assert.That(realAnswer.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(token.RefreshToken).IsNotNull();
    }

    [Test]
    public async Task Login_AccessDenied_AuthenticationError_ExistingTokenFileUntouched()
    {
        await using var login = await Login.StartAsync(new EmulatorOptions { DenyConsent = true });
        Directory.CreateDirectory(Path.GetDirectoryName(login.TokenPath)!);
        await File.WriteAllTextAsync(login.TokenPath, "{\"token\":\"old\"}");
        var browser = new TestBrowser();

        var error = await Assert.That(() => login.OAuth(browser).AuthorizeInteractiveAsync(new LoginOptions { Timeout = TimeSpan.FromSeconds(30) }))
            .Throws<AuthenticationRequiredException>();

        await Assert.That(error!.Message).Contains("access_denied");
        await Assert.That(await File.ReadAllTextAsync(login.TokenPath)).IsEqualTo("{\"token\":\"old\"}");
        await Assert.That(await browser.FinalPage).Contains("Access was not granted");
    }

    [Test]
    public async Task Login_Timeout_ErrorAndListenerStopped()
    {
        await using var login = await Login.StartAsync();
        var port = FreePort();

        var error = await Assert.That(() => login.OAuth(new NoBrowser()).AuthorizeInteractiveAsync(new LoginOptions { Port = port, Timeout = TimeSpan.FromMilliseconds(500) }))
            .Throws<AuthenticationRequiredException>();

        await Assert.That(error!.Message).Contains("no answer from Google within");
        await Assert.That(File.Exists(login.TokenPath)).IsFalse();
        using var probe = new TcpListener(IPAddress.Loopback, port);
        probe.Start();
    }

    [Test]
    public async Task Login_PortInUse_ClearConfigurationError()
    {
        await using var login = await Login.StartAsync();
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var error = await Assert.That(() => login.OAuth(new NoBrowser()).AuthorizeInteractiveAsync(new LoginOptions { Port = port }))
            .Throws<ConfigurationException>();

        await Assert.That(error!.Message).Contains($"127.0.0.1:{port}");
        await Assert.That(error.Message).Contains("--port");
    }

    [Test]
    public async Task Login_FixedPort_UsesIt()
    {
        await using var login = await Login.StartAsync();
        var port = FreePort();
        var browser = new TestBrowser();

        await login.OAuth(browser).AuthorizeInteractiveAsync(new LoginOptions { Port = port, Timeout = TimeSpan.FromSeconds(30) });

        await Assert.That(browser.OpenedUrl!.Query).Contains($"127.0.0.1%3A{port}%2F");
    }

    [Test]
    public async Task Login_UserUntickedUpload_FailsAndSavesNothing()
    {
        await using var login = await Login.StartAsync(new EmulatorOptions { GrantedScopesOverride = [PhotosScopes.ReadOnlyAppCreatedData] });

        var error = await Assert.That(() => login.OAuth(new TestBrowser()).AuthorizeInteractiveAsync(new LoginOptions { Timeout = TimeSpan.FromSeconds(30) }))
            .Throws<AuthenticationRequiredException>();

        await Assert.That(error!.Message).Contains("photoslibrary.appendonly was not granted");
        await Assert.That(File.Exists(login.TokenPath)).IsFalse();
    }

    [Test]
    public async Task Login_Again_KeepsThePreviousTokenFileBesideTheNewOne()
    {
        await using var login = await Login.StartAsync();
        var first = await login.OAuth(new TestBrowser()).AuthorizeInteractiveAsync(new LoginOptions { Timeout = TimeSpan.FromSeconds(30) });

        var second = await login.OAuth(new TestBrowser()).AuthorizeInteractiveAsync(new LoginOptions { Timeout = TimeSpan.FromSeconds(30) });

        await Assert.That(second.RefreshToken).IsNotEqualTo(first.RefreshToken);
        var previous = FileTokenStore.Parse(await File.ReadAllBytesAsync(login.TokenPath + ".previous"), "previous");
        await Assert.That(previous.RefreshToken).IsEqualTo(first.RefreshToken);
        await Assert.That(File.GetUnixFileMode(login.TokenPath + ".previous")).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Test]
    public async Task EnsureCredentials_NotInteractive_NeverPrompts()
    {
        await using var login = await Login.StartAsync();
        var browser = new TestBrowser();

        await Assert.That(() => login.OAuth(browser).EnsureCredentialsAsync(interactive: false)).Throws<AuthenticationRequiredException>();

        await Assert.That(browser.OpenedUrl).IsNull();
        await Assert.That(login.Prompt.Text).IsEmpty();
    }

    [Test]
    public async Task EnsureCredentials_SavedExpiredToken_IsRefreshedWithoutPrompt()
    {
        await using var login = await Login.StartAsync();
        var saved = login.Harness.Emulator.CreateAuthorizedUser() with { Expiry = DateTimeOffset.UtcNow.AddMinutes(-5) };
        await new FileTokenStore(login.TokenPath).SaveAsync(saved);
        var browser = new TestBrowser();

        var token = await login.OAuth(browser).EnsureCredentialsAsync(interactive: true);

        await Assert.That(token.Token).IsNotEqualTo(saved.Token);
        await Assert.That(token.RefreshToken).IsEqualTo(saved.RefreshToken);
        await Assert.That(browser.OpenedUrl).IsNull();
    }

    [Test]
    public async Task EnsureCredentials_RevokedAndInteractive_LogsInAgain_NotInteractive_ReportsWithHint()
    {
        await using var login = await Login.StartAsync();
        var saved = login.Harness.Emulator.CreateAuthorizedUser() with { Expiry = DateTimeOffset.UtcNow.AddMinutes(-5), LoginTime = DateTimeOffset.UtcNow.AddDays(-7) };
        await new FileTokenStore(login.TokenPath).SaveAsync(saved);
        login.Harness.Emulator.RevokeAllGrants();

        var error = await Assert.That(() => login.OAuth(new TestBrowser()).EnsureCredentialsAsync(interactive: false)).Throws<AuthenticationRequiredException>();
        var token = await login.OAuth(new TestBrowser()).EnsureCredentialsAsync(interactive: true, new LoginOptions { Timeout = TimeSpan.FromSeconds(30) });

        await Assert.That(error!.Message).Contains("Testing");
        await Assert.That(error.Message).Contains("7 days");
        await Assert.That(token.RefreshToken).IsNotEqualTo(saved.RefreshToken);
    }

    [Test]
    public async Task LoadSavedCredentials_NoFile_ReturnsNull()
    {
        await using var login = await Login.StartAsync();
        await Assert.That(await login.OAuth(new NoBrowser()).LoadSavedCredentialsAsync()).IsNull();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
