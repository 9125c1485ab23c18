using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Q2Google.Auth;
using Q2Google.Failures;
using Q2Google.Tests.Infrastructure;

namespace Q2Google.Tests;

/// <summary>Logins kept where the user put them: read-only mounts, files others can read, token endpoints that never answer.</summary>
public class TokenFileTests
{
    [Test]
    public async Task ReadOnlyTokenFile_WithExpiredAccessToken_RefreshesInMemory_WarnsOnce_UploadsEverything()
    {
        await using var cli = await CliFixture.StartAsync(loggedIn: false);
        var secrets = cli.Dir.Combine("home", "secrets");
        var token = Path.Combine(secrets, "token.json");
        await new FileTokenStore(token).SaveAsync(cli.Emulator.CreateAuthorizedUser(TestAccount.LoginScopes()) with { Expiry = DateTimeOffset.UtcNow.AddHours(-1) });
        // A Docker or Kubernetes secret: the file and its folder are read-only.
        File.SetUnixFileMode(token, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(secrets, (UnixFileMode)0b101_101_101);
        var before = File.ReadAllText(token);
        var files = LibraryTree.Create(cli.Dir, "home/pics", small: 4);

        try
        {
            var result = await cli.RunWithoutPermissionOverrideAsync("upload", "pics", "--token", "secrets/token.json");

            await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
            await Assert.That(result.Stderr.Split('\n').Count(l => l.Contains("cannot save the refreshed login"))).IsEqualTo(1).Because(result.ToString());
            await LibraryTree.AssertEachExactlyOnceAsync(cli.Harness, files);
            await Assert.That(File.ReadAllText(token)).IsEqualTo(before);
        }
        finally
        {
            File.SetUnixFileMode(secrets, (UnixFileMode)0b111_000_000);
        }
    }

    [Test]
    public async Task TokenFileReadableByOthers_WarnsWithTheFix_AndIsLeftAsItIs()
    {
        await using var cli = await CliFixture.StartAsync();
        const UnixFileMode pythonMode = (UnixFileMode)0b110_100_100;
        File.SetUnixFileMode(cli.TokenPath, pythonMode);
        cli.Dir.File("home/IMG_1.jpg", 3000);

        var upload = await cli.RunAsync("upload", "IMG_1.jpg");
        var status = await cli.RunAsync("auth", "status");

        foreach (var result in new[] { upload, status })
        {
            await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
            await Assert.That(result.Stderr.Split('\n').Count(l => l.Contains("can be read by other users"))).IsEqualTo(1).Because(result.ToString());
            await Assert.That(result.Stderr).Contains($"chmod 600 {cli.TokenPath}");
        }

        await Assert.That(File.GetUnixFileMode(cli.TokenPath)).IsEqualTo(pythonMode);
    }

    [Test]
    public async Task TokenEndpointThatNeverAnswers_FailsWithinTheBound_NotAHang()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<Socket>();
        var accepting = Task.Run(async () =>
        {
            // Takes the connection and reads the request, then says nothing, like a wedged proxy.
            while (true)
            {
                var socket = await silent.AcceptSocketAsync();
                lock (accepted) accepted.Add(socket);
            }
        });
        var tokenUri = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/token";
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var oauth = new OAuthTokenClient(http, TimeProvider.System, TimeSpan.FromMilliseconds(300),
            RetryOptions.TokenEndpoint with { BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(20) });
        var token = new AuthorizedUserToken { RefreshToken = "1//r", ClientId = "c", ClientSecret = "s", TokenUri = tokenUri };

        var clock = Stopwatch.StartNew();
        var refresh = await Assert.That(() => oauth.RefreshAsync(token)).Throws<TokenEndpointUnreachableException>();
        var refreshTook = clock.Elapsed;
        await Assert.That(() => oauth.RevokeAsync(tokenUri, "1//r")).Throws<TimeoutException>();

        await Assert.That(refreshTook).IsLessThan(TimeSpan.FromSeconds(10));
        await Assert.That(refresh!.Message).Contains("did not answer within");
        // Three attempts were made, each cut off by the timeout.
        int connections;
        lock (accepted) connections = accepted.Count;
        await Assert.That(connections).IsGreaterThanOrEqualTo(3);
        // The documented bound of the real settings: three 30 s attempts and at most 1 s + 2 s between them.
        await Assert.That(new OAuthTokenClient(http, TimeProvider.System).MaxTotalWait).IsEqualTo(TimeSpan.FromSeconds(93));
        lock (accepted) foreach (var socket in accepted) socket.Dispose();
    }
}
