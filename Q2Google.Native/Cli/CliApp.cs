using System.Net;
using System.Net.Security;
using Microsoft.Extensions.DependencyInjection;
using ConsoleAppFramework;
using Q2Google.Api;
using Q2Google.Auth;
using Q2Google.Failures;
using Q2Google.Http;
using Q2Google.Upload;

namespace Q2Google.Cli;

/// <summary>Builds and runs the command line; <c>Program.cs</c> and the in-process tests share it.</summary>
internal static class CliApp
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
        // What the framework still reports itself, outside the filter, is a usage error.
        ConsoleApp.LogError = message =>
        {
            frameworkError = true;
            Console.Error.WriteLine("q2google: " + message.Trim() + ". See --help.");
        };

        CommandLine commandLine;
        CliSettings settings;
        try
        {
            commandLine = CommandLine.Parse(args);
            if (commandLine.Output is { } text)
            {
                Console.Out.Write(text);
                return ExitCodes.Success;
            }

            settings = CliSettings.Resolve(commandLine.Globals, Environment.GetEnvironmentVariable);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine("q2google: " + e.Message);
            return ExitCodes.Usage;
        }

        var app = ConsoleApp.Create();
        app.ConfigureServices(services =>
        {
            AddServices(services, settings);
            overrides?.Invoke(services);
        });
        app.UseFilter<ExitCodeFilter>();
        app.Add<UploadCommands>();
        app.Add<RunCommands>();
        app.Add<StatusCommands>();
        app.Add<VerifyCommands>();
        app.Add<AlbumCommands>("albums");
        app.Add<MediaCommands>("media");
        app.Add<AuthCommands>("auth");
        app.Add<EmulatorCommands>();

        await app.RunAsync(commandLine.Arguments).ConfigureAwait(false);
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
            .AddHttpMessageHandler(() => new TransportFailureHandler(settings.CaBundlePath))
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
