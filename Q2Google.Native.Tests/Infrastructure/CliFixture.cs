using System.Text.Json;
using Q2Google.Auth;
using Q2Google.Emulator;

namespace Q2Google.Tests.Infrastructure;

/// <summary>An emulator plus a scratch HOME with a token file, for running the real CLI against it.</summary>
internal sealed class CliFixture : IAsyncDisposable
{
    private CliFixture(EmulatorHarness harness) => Harness = harness;

    public EmulatorHarness Harness { get; }
    public PhotosEmulator Emulator => Harness.Emulator;
    public TempDir Dir => Harness.Dir;
    public string Home => Dir.Combine("home");
    public string TokenPath => Path.Combine(Home, ".config", "q2google", "token.json");

    public static async Task<CliFixture> StartAsync(EmulatorOptions? options = null, bool loggedIn = true, IReadOnlyList<string>? scopes = null)
    {
        var fixture = new CliFixture(await EmulatorHarness.StartAsync(options));
        Directory.CreateDirectory(fixture.Home);
        // What a login today asks for and records: the Photos scopes, and openid + email, which name the account.
        if (loggedIn) await new FileTokenStore(fixture.TokenPath).SaveAsync(fixture.Emulator.CreateAuthorizedUser(TestAccount.LoginScopes(scopes)));
        return fixture;
    }

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(args, null);

    public Task<CliResult> RunAsync(string[] args, IDictionary<string, string?>? environment, string? binary = null, string? stdin = null)
    {
        var env = new Dictionary<string, string?> { ["Q2GOOGLE_API_URL"] = Emulator.BaseUrl.AbsoluteUri };
        if (environment is not null)
        {
            foreach (var (key, value) in environment) env[key] = value;
        }

        return CliRunner.RunAsync(Home, args, env, binary, stdin);
    }

    /// <summary>How many media items hold exactly this file's bytes.</summary>
    public int ItemsFor(string path) => Harness.ItemsWithContentOf(path).Count;

    /// <summary>
    /// Runs the CLI so that file permissions bind even when the tests run as root (CI does): root reads any
    /// file whatever its mode, so the capabilities that let it are dropped from the child process.
    /// </summary>
    public Task<CliResult> RunWithoutPermissionOverrideAsync(params string[] args) =>
        Environment.UserName != "root"
            ? RunAsync(args)
            : RunAsync(["--bounding-set=-dac_override,-dac_read_search", CliRunner.BuiltBinary, .. args], null, binary: "setpriv");

    public static List<JsonElement> JsonLines(CliResult result) =>
        result.StdoutLines.Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();

    public ValueTask DisposeAsync() => Harness.DisposeAsync();
}
