using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Q2Google.Api;
using Q2Google.Auth;
using Q2Google.Failures;
using Q2Google.Http;

namespace Q2Google.Cli;

/// <summary>
/// Where things are, resolved once per run: option, else its environment variable (both named in
/// <see cref="OptionTable"/>), else the XDG default (docs/cli.md#files-and-endpoints).
/// </summary>
internal sealed record CliSettings
{
    /// <summary>Google's limit of media items per album.</summary>
    public const int GoogleAlbumItemLimit = 20_000;

    public required string ConfigDir { get; init; }
    public required string ClientSecretsPath { get; init; }
    public required string TokenPath { get; init; }

    /// <summary><c>--profile</c>: whose login this is, when there are several (docs/cli.md#profiles); null: the default one.</summary>
    public string? Profile { get; init; }

    /// <summary><c>Q2GOOGLE_TOKEN_JSON</c>: when set, the token lives in memory only.</summary>
    public string? TokenJson { get; init; }

    public required string StateDir { get; init; }
    public required string ApiUrl { get; init; }
    public bool Quiet { get; init; }

    /// <summary><c>--ca-bundle</c>: a PEM file whose certificates are the only ones HTTPS trusts; null: the system's.</summary>
    public string? CaBundlePath { get; init; }

    /// <summary>
    /// <c>Q2GOOGLE_ALBUM_ITEM_LIMIT</c>: items per album before an upload continues in "TITLE (2)"; smaller than
    /// Google's only to try the roll-over against an emulator started with a small <c>--album-limit</c>.
    /// </summary>
    public int AlbumItemLimit { get; init; } = GoogleAlbumItemLimit;

    /// <summary><c>Q2GOOGLE_MAX_WATCHES</c>: folders a watch watches at most before rescans take over (0: the kernel's limit).</summary>
    public int MaxWatches { get; init; }

    /// <summary>Throws <see cref="UsageException"/> for a setting that cannot be used.</summary>
    internal static CliSettings Resolve(GlobalOptions options, Func<string, string?> environment)
    {
        string? Env(string name) => environment(name) is { Length: > 0 } value ? value : null;
        string? Setting(OptionSpec option) => options[option] ?? (option.Environment is { } name ? Env(name) : null);
        var home = Env("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

        var configDir = Setting(OptionTable.ConfigDir)
            ?? Path.Combine(Env("XDG_CONFIG_HOME") ?? Path.Combine(home, ".config"), "q2google");
        var profile = Setting(OptionTable.Profile) is { } name ? CheckProfile(name, OptionTable.Profile.Name) : null;
        return new CliSettings
        {
            ConfigDir = configDir,
            ClientSecretsPath = Setting(OptionTable.ClientSecrets) ?? Path.Combine(configDir, "client_secret.json"),
            Profile = profile,
            TokenPath = Setting(OptionTable.Token) ?? TokenPathOf(configDir, profile),
            TokenJson = Env(OptionTable.TokenJson.Name),
            StateDir = Setting(OptionTable.StateDir)
                ?? Path.Combine(Env("XDG_STATE_HOME") ?? Path.Combine(home, ".local", "state"), "q2google"),
            ApiUrl = Setting(OptionTable.ApiUrl) ?? OptionTable.ApiUrl.Default!,
            Quiet = options.Has(OptionTable.Quiet),
            CaBundlePath = Setting(OptionTable.CaBundle),
            AlbumItemLimit = Env(OptionTable.AlbumItemLimit.Name) is { } limit ? ParseAlbumItemLimit(limit) : GoogleAlbumItemLimit,
            MaxWatches = Env(OptionTable.MaxWatches.Name) is { } watches
                ? int.TryParse(watches, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n
                    : throw new UsageException($"{OptionTable.MaxWatches.Name} '{TerminalText.Escape(watches)}' must be a whole number (0: the kernel's limit)")
                : 0,
        };
    }

    /// <summary>The folder of every profile's login.</summary>
    public string ProfilesDir => Path.Combine(ConfigDir, "profiles");

    /// <summary>The settings of another profile's login (a job of <c>run</c>); everything else stays.</summary>
    public CliSettings ForProfile(string? profile) => this with { Profile = profile, TokenPath = TokenPathOf(ConfigDir, profile), TokenJson = null };

    private static string TokenPathOf(string configDir, string? profile) =>
        profile is null ? Path.Combine(configDir, "token.json") : Path.Combine(configDir, "profiles", profile, "token.json");

    /// <summary>A profile name becomes a folder name: letters, digits, '-', '_' and '.', not starting with '.'.</summary>
    public static string CheckProfile(string name, string what) =>
        name.Length is > 0 and <= 64 && name[0] != '.' && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? name
            : throw new UsageException($"{what} '{TerminalText.Escape(name)}' is not a profile name: use letters, digits, '-', '_' or '.' (at most 64, not starting with '.')");

    private static int ParseAlbumItemLimit(string value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= GoogleAlbumItemLimit
            ? limit
            : throw new UsageException($"{OptionTable.AlbumItemLimit.Name} '{TerminalText.Escape(value)}' must be a whole number from 1 to {GoogleAlbumItemLimit}. See 'q2google --help'.");

    /// <summary>The token store this run uses: the environment variable wins over the file.</summary>
    public ITokenStore CreateTokenStore() =>
        TokenJson is not null ? InMemoryTokenStore.FromEnvironment(TokenJson) : CreateFileTokenStore();

    /// <summary>The token file; its directory is made owner-only when it is q2google's config dir or a profile's folder in it.</summary>
    public FileTokenStore CreateFileTokenStore() =>
        new(TokenPath, ownsDirectory: Path.GetFullPath(Path.GetDirectoryName(Path.GetFullPath(TokenPath))!) is var folder
            && (folder == Path.GetFullPath(ConfigDir) || Path.GetDirectoryName(folder) == Path.GetFullPath(ProfilesDir)));

    /// <summary>
    /// How HTTPS certificates are checked: null leaves it to the system store (which .NET reads from
    /// <c>SSL_CERT_FILE</c>/<c>SSL_CERT_DIR</c> or OpenSSL's defaults); with <c>--ca-bundle</c>, only its certificates are roots.
    /// </summary>
    public X509ChainPolicy? CertificateChainPolicy()
    {
        if (CaBundlePath is null) return null;
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(CaBundlePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ConfigurationException($"--ca-bundle {CaBundlePath}: cannot read it ({e.Message})", e);
        }

        if (roots.Count == 0) throw new ConfigurationException($"--ca-bundle {CaBundlePath}: no PEM certificates (-----BEGIN CERTIFICATE-----) in it");
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            // What SslStream does without a policy: the system bundle is not revocation-checked either, and a
            // NAS or container often cannot reach a CRL server.
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.AddRange(roots);
        return policy;
    }

    /// <summary>The library this login uploads to: the API endpoint in use and the login's account.</summary>
    public State.LibraryIdentity LibraryOf(AuthorizedUserToken login) => new()
    {
        Endpoint = EndpointRules.Origin(ApiOptions().BaseUrl),
        AccountSub = login.AccountSub,
        AccountEmail = login.AccountEmail,
        ClientId = login.ClientId ?? "",
    };

    public GooglePhotosApiOptions ApiOptions() => new() { BaseUrl = GooglePhotosApiOptions.NormalizeBaseUrl(ApiUrl) };
}
