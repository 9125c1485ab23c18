using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Q2Google.Auth;
using Q2Google.Emulator;
using Q2Google.Failures;

namespace Q2Google.Cli;

internal sealed class EmulatorCommands(CliSettings settings, Terminal terminal)
{
    /// <summary><c>q2google emulator</c> (summary, options and their help: <see cref="OptionTable"/>).</summary>
    public async Task<int> Emulator(int port = 0, string? dataDir = null, long granularity = 262144, long dailyQuota = 10_000,
        int perMinuteQuota = 0, int retryAfter = 0, int accessTokenLifetime = 3599, int refreshTokenLifetime = 0, int albumLimit = 20_000,
        double failRate = 0, double resetRate = 0, double rateLimitRate = 0, int seed = 0, bool denyConsent = false,
        bool lowerCaseHeaders = false, bool omitSizeReceived = false, string? tlsCert = null, string? tlsKey = null,
        string hostName = "127.0.0.1", string latency = "0", string? latencyUpload = null, string? latencyBatchCreate = null, string bandwidth = "0",
        string? accountEmail = null, string? accountSub = null, bool inMemory = false, CancellationToken cancellationToken = default)
    {
        if (granularity <= 0) throw new UsageException("--granularity must be positive");
        if ((tlsCert is null) != (tlsKey is null)) throw new UsageException("--tls-cert and --tls-key go together");
        var account = Account(accountEmail, accountSub);
        var directory = Path.GetFullPath(dataDir ?? Path.Combine(settings.StateDir, "emulator"));
        var options = new EmulatorOptions
        {
            AccountEmail = account.Email,
            AccountSub = account.Sub,
            Port = port,
            // Saving the whole library after each change costs nothing at a few thousand items and everything at a million.
            DataDirectory = inMemory ? null : directory,
            ChunkGranularity = granularity,
            DailyQuota = dailyQuota,
            PerMinuteQuota = perMinuteQuota > 0 ? perMinuteQuota : null,
            RetryAfterOnRateLimit = retryAfter > 0 ? TimeSpan.FromSeconds(retryAfter) : null,
            AccessTokenLifetime = TimeSpan.FromSeconds(accessTokenLifetime),
            RefreshTokenLifetime = refreshTokenLifetime > 0 ? TimeSpan.FromSeconds(refreshTokenLifetime) : null,
            AlbumItemLimit = albumLimit,
            ServerErrorRate = failRate,
            ResetRate = resetRate,
            RateLimitRate = rateLimitRate,
            ChaosSeed = seed != 0 ? seed : null,
            DenyConsent = denyConsent,
            LowerCaseHeaderNames = lowerCaseHeaders,
            OmitSizeReceivedOnChunks = omitSizeReceived,
            ResponseDelay = DurationText.Parse(latency, "--latency"),
            UploadDelay = latencyUpload is null ? null : DurationText.Parse(latencyUpload, "--latency-upload"),
            BatchCreateDelay = latencyBatchCreate is null ? null : DurationText.Parse(latencyBatchCreate, "--latency-batch-create"),
            UploadBandwidth = bandwidth.Trim() == "0" ? null : ByteSize.Parse(bandwidth, "--bandwidth"),
        };

        X509Certificate2? certificate = null;
        if (tlsCert is not null)
        {
            try
            {
                certificate = X509Certificate2.CreateFromPemFile(tlsCert, tlsKey);
            }
            catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                throw new UsageException($"cannot load --tls-cert {tlsCert} / --tls-key {tlsKey}: {e.Message}");
            }
        }

        PhotosEmulator emulator;
        try
        {
            emulator = await PhotosEmulator.StartAsync(options, certificate, hostName, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            var why = e.SocketErrorCode == SocketError.AddressAlreadyInUse ? "another program (perhaps another emulator) is using it" : "permission denied";
            throw new ConfigurationException($"cannot listen on 127.0.0.1:{port}: {why}; pick another --port, or --port 0 for a free one");
        }

        await using var _ = emulator;
        await emulator.WriteClientFilesAsync(directory, cancellationToken).ConfigureAwait(false);
        var tokenPath = Path.Combine(directory, "token.json");
        // As a login that also asks for the account's identity would leave it: the token names its account.
        var token = emulator.CreateLogin([.. Api.PhotosScopes.Default, .. Auth.OpenIdScopes.All]).ToToken();
        await new FileTokenStore(tokenPath).SaveAsync(token, cancellationToken).ConfigureAwait(false);

        terminal.Out.WriteLine(emulator.BaseUrl.AbsoluteUri);
        terminal.Out.Flush();
        terminal.Info($"""
            q2google emulator listening on {emulator.BaseUrl}
              account: {account.Email} (sub {account.Sub})
              client secrets: {Path.Combine(directory, "client_secret.json")}
              ready-made token (scopes append,read,openid,email): {tokenPath}
            Try it:
              q2google upload --api-url {emulator.BaseUrl} --token {tokenPath} photo.jpg
            Stop with Ctrl+C.
            """);

        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C is how a server is meant to stop.
        }

        terminal.Info("emulator stopped");
        return ExitCodes.Success;
    }

    /// <summary>The account to play; an address alone gets the sub the consent page would derive for it.</summary>
    private static EmulatedAccount Account(string? email, string? sub)
    {
        if (email is not null && (email.Trim().Length == 0 || !email.Contains('@', StringComparison.Ordinal) || email.Any(c => c > 127 || char.IsWhiteSpace(c))))
        {
            throw new UsageException($"--account-email '{email}' is not an e-mail address");
        }

        // Google's subs are up to 255 ASCII characters (digits in practice); they go into JSON and URLs verbatim.
        if (sub is not null && (sub.Length is 0 or > 255 || sub.Any(c => !char.IsAsciiLetterOrDigit(c))))
        {
            throw new UsageException($"--account-sub '{sub}' must be 1 to 255 ASCII letters or digits, like Google's 21-digit ids");
        }

        return email is null
            ? new EmulatedAccount(sub ?? EmulatorOptions.DefaultAccountSub, EmulatorOptions.DefaultAccountEmail)
            : new EmulatedAccount(sub ?? EmulatedAccount.SubFor(email), email);
    }
}
