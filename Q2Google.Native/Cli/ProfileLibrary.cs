using Q2Google.Api;
using Q2Google.Auth;
using Q2Google.Failures;

namespace Q2Google.Cli;

/// <summary>
/// One login and its journals, without asking for a login (no one is at a service's terminal): a profile's, for a
/// job of <c>run</c>, each person's uploads going to their own library; or the practice emulator's.
/// </summary>
internal sealed class ProfileLibrary
{
    private readonly IHttpClientFactory _http;

    /// <param name="store">Where the login is kept; by default the token store <paramref name="settings"/> name.</param>
    public ProfileLibrary(CliSettings settings, IHttpClientFactory http, OAuthTokenClient oauth, IOAuthBrowser browser, Terminal terminal,
        RetryOptions retry, TimeProvider time, ITokenStore? store = null)
    {
        _http = http;
        Settings = settings;
        store ??= settings.CreateTokenStore();
        Login = new GooglePhotosOAuth(settings.ClientSecretsPath, PhotosScopes.Default, store, oauth, browser, terminal.In, terminal.Error, time,
            requiredScopes: [PhotosScopes.AppendOnly], warn: terminal.Warn);
        Journals = new LibraryJournals(settings, Login, store, NewApi(), retry, terminal, time);
    }

    public CliSettings Settings { get; }
    public GooglePhotosOAuth Login { get; }
    public LibraryJournals Journals { get; }

    /// <summary>An API client of this login: one per job, so that each counts (and is budgeted) its own requests.</summary>
    public GooglePhotosApi NewApi() => new(_http.CreateClient(CliApp.HttpClientName), Login, Settings.ApiOptions());
}
