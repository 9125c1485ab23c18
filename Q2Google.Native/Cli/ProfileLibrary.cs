using Q2Google.Api;
using Q2Google.Auth;
using Q2Google.Failures;

namespace Q2Google.Cli;

/// <summary>
/// One profile's login and journals, for a job of <c>run</c>: each person's uploads go to their own library with
/// their own token, and never ask for a login (a service has no one at its terminal).
/// </summary>
internal sealed class ProfileLibrary
{
    private readonly IHttpClientFactory _http;

    public ProfileLibrary(CliSettings settings, IHttpClientFactory http, OAuthTokenClient oauth, IOAuthBrowser browser, Terminal terminal,
        RetryOptions retry, TimeProvider time)
    {
        _http = http;
        Settings = settings;
        var store = settings.CreateTokenStore();
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
