using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Q2Google.Auth;
using Q2Google.Emulator;

namespace Q2Google.Cli;

internal sealed class EmulatorCommands(CliSettings settings, Terminal terminal)
{
    /// <summary>Run a local, strict emulator of the Photos Library API and Google's OAuth endpoints on 127.0.0.1.</summary>
    /// <param name="port">Port to listen on (0: a free one).</param>
    /// <param name="dataDir">Where the emulator keeps its state and writes client_secret.json and token.json (default: STATE_DIR/emulator).</param>
    /// <param name="granularity">X-Goog-Upload-Chunk-Granularity in bytes.</param>
    /// <param name="dailyQuota">Requests per day before 429 RESOURCE_EXHAUSTED.</param>
    /// <param name="perMinuteQuota">Requests per minute before a 429 (0: no limit).</param>
    /// <param name="retryAfter">Seconds to put in Retry-After on 429s (0: none).</param>
    /// <param name="accessTokenLifetime">Access token lifetime in seconds.</param>
    /// <param name="refreshTokenLifetime">Refresh token lifetime in seconds (0: until revoked; 604800 imitates an app in "Testing").</param>
    /// <param name="albumLimit">Media items per album.</param>
    /// <param name="failRate">Probability of a 500/503 per API request.</param>
    /// <param name="resetRate">Probability of a connection reset in the middle of an upload chunk.</param>
    /// <param name="rateLimitRate">Probability of a per-minute 429 per API request.</param>
    /// <param name="seed">Seed for the random faults (0: random).</param>
    /// <param name="denyConsent">The consent page denies access instead of granting it.</param>
    /// <param name="lowerCaseHeaders">Send header names in lower case, as HTTP/2 does.</param>
    /// <param name="omitSizeReceived">Leave X-Goog-Upload-Size-Received out of chunk responses.</param>
    /// <param name="tlsCert">Serve HTTPS with this PEM certificate (needs --tls-key).</param>
    /// <param name="tlsKey">The PEM private key of --tls-cert.</param>
    /// <param name="hostName">Host name to put in the URLs the emulator hands out (default 127.0.0.1).</param>
    /// <param name="latency">Milliseconds added to every API request, to watch an upload (or interrupt it) in slow motion.</param>
    /// <param name="accountEmail">E-mail address of the Google account the emulator plays: the consent page logs it in and token.json belongs to it (default emulated.user@example.com).</param>
    /// <param name="accountSub">That account's stable id, the "sub" of its id_token (default: derived from --account-email, or 100000000000000000001).</param>
    public async Task<int> Emulator(int port = 0, string? dataDir = null, long granularity = 262144, long dailyQuota = 10_000,
        int perMinuteQuota = 0, int retryAfter = 0, int accessTokenLifetime = 3599, int refreshTokenLifetime = 0, int albumLimit = 20_000,
        double failRate = 0, double resetRate = 0, double rateLimitRate = 0, int seed = 0, bool denyConsent = false,
        bool lowerCaseHeaders = false, bool omitSizeReceived = false, string? tlsCert = null, string? tlsKey = null,
        string hostName = "127.0.0.1", int latency = 0, string? accountEmail = null, string? accountSub = null,
        CancellationToken cancellationToken = default)
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
            DataDirectory = directory,
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
            ResponseDelay = TimeSpan.FromMilliseconds(Math.Max(0, latency)),
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

        await using var emulator = await PhotosEmulator.StartAsync(options, certificate, hostName, cancellationToken).ConfigureAwait(false);
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
