using System.Net;
using System.Net.Security;
using ConsoleAppFramework;
using Microsoft.Extensions.DependencyInjection;
using Q2Google.Api;
using Q2Google.Auth;
using Q2Google.Upload;

using Q2Google.Http;

using Q2Google.Failures;

namespace Q2Google.Cli;

/// <summary>Builds and runs the command line; <c>Program.cs</c> and the in-process tests share it.</summary>
public static class CliApp
{
    public const string HttpClientName = "google";

    public static string Version => typeof(CliApp).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
        .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <param name="args">The command line.</param>
    /// <param name="overrides">Runs last in service registration, so tests can swap anything.</param>
    public static async Task<int> RunAsync(string[] args, Action<IServiceCollection>? overrides = null)
    {
        Environment.ExitCode = 0;
        InterruptWatchdog.Install();
        var frameworkError = false;
        ConsoleApp.Version = Version;
        // Errors the framework reports itself (a global option without its value) are usage errors.
        ConsoleApp.LogError = message =>
        {
            frameworkError = true;
            Console.Error.WriteLine("q2google: " + message.Trim() + ". See --help.");
        };

        string[]? normalized;
        try
        {
            normalized = CommandTable.Normalize(args);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine("q2google: " + e.Message);
            return ExitCodes.Usage;
        }

        var app = ConsoleApp.Create();
        app.ConfigureGlobalOptions((ref ConsoleApp.GlobalOptionsBuilder builder) => new GlobalOptions(
            builder.AddGlobalOption<string>("--api-url", "Library API base URL (env Q2GOOGLE_API_URL).", ""),
            builder.AddGlobalOption<string>("--token", "Token file (env Q2GOOGLE_TOKEN_FILE; Q2GOOGLE_TOKEN_JSON holds a token in memory).", ""),
            builder.AddGlobalOption<string>("--config-dir", "Config directory (env Q2GOOGLE_CONFIG_DIR).", ""),
            builder.AddGlobalOption<string>("--client-secrets", "OAuth client file (env Q2GOOGLE_CLIENT_SECRETS).", ""),
            builder.AddGlobalOption<string>("--state-dir", "Upload journal directory (env Q2GOOGLE_STATE_DIR).", ""),
            builder.AddGlobalOption<bool>("-q|--quiet", "Print only errors and the summary."),
            builder.AddGlobalOption<string>("--ca-bundle", "Trust only the PEM certificates in this file for HTTPS (env Q2GOOGLE_CA_BUNDLE; default: the system's, or SSL_CERT_FILE).", "")));
        app.ConfigureServices((ConsoleAppContext context, Microsoft.Extensions.Configuration.IConfiguration _, IServiceCollection services) =>
        {
            var settings = CliSettings.Resolve((GlobalOptions)context.GlobalOptions!, Environment.GetEnvironmentVariable);
            AddServices(services, settings);
            overrides?.Invoke(services);
        });
        app.UseFilter<ExitCodeFilter>();
        app.Add<UploadCommands>();
        app.Add<StatusCommands>();
        app.Add<AlbumCommands>("albums");
        app.Add<MediaCommands>("media");
        app.Add<AuthCommands>("auth");
        app.Add<EmulatorCommands>();

        await app.RunAsync(normalized ?? args).ConfigureAwait(false);
        if (normalized is null) return ExitCodes.Success;
        return frameworkError ? ExitCodes.Usage : Environment.ExitCode;
    }

    public static void AddServices(IServiceCollection services, CliSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => Terminal.FromConsole(settings.Quiet));
        services.AddSingleton(new RetryOptions());
        services.AddHttpClient(HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(30),
                AutomaticDecompression = DecompressionMethods.None,
                UseCookies = false,
                AllowAutoRedirect = false,
                SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = settings.CertificateChainPolicy() },
            })
            .AddHttpMessageHandler(() => new TlsVerificationHandler(settings.CaBundlePath))
            .ConfigureHttpClient(http =>
            {
                // Per-request timeouts live in GooglePhotosApi, where they can be told apart from Ctrl+C.
                http.Timeout = Timeout.InfiniteTimeSpan;
                http.DefaultRequestHeaders.UserAgent.ParseAdd($"q2google/{Version}");
            });
        services.AddSingleton<ITokenStore>(_ => settings.CreateTokenStore());
        services.AddSingleton(sp => new OAuthTokenClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IOAuthBrowser>(_ => new SystemBrowser(Environment.GetEnvironmentVariable));
        services.AddSingleton<LoginFactory>();
        services.AddSingleton<LibraryJournals>();
        // The one login of the run: the API client asks it for tokens, commands ask it whose library it is. A person at
        // a terminal without a usable login gets the login flow; CI and cron get exit code 3.
        services.AddSingleton(sp => sp.GetRequiredService<LoginFactory>().Create(PhotosScopes.Default,
            interactive: sp.GetRequiredService<Terminal>().Interactive && settings.TokenJson is null));
        services.AddSingleton<IAccessTokenProvider>(sp => sp.GetRequiredService<GooglePhotosOAuth>());
        // One API client per run: its request count (quota) and --max-requests budget cover every request the run makes.
        services.AddSingleton(sp => new GooglePhotosApi(sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<IAccessTokenProvider>(), settings.ApiOptions()));
    }
}
