using Q2Google.Api;
using Q2Google.Auth;
using Q2Google.Emulator;
using Q2Google.Failures;
using Q2Google.Upload;

namespace Q2Google.Cli;

/// <summary>
/// <c>upload --emulator</c>: a throw-away library to try q2google on before there is a Google login. An emulator
/// runs in this process, its login stays in memory and the journal lives in a temporary folder removed at the end,
/// so the real login, journal and client file are never read or written.
/// </summary>
internal sealed class PracticeLibrary : IAsyncDisposable
{
    private readonly PhotosEmulator _emulator;
    private readonly DirectoryInfo _folder;

    private PracticeLibrary(PhotosEmulator emulator, DirectoryInfo folder, GooglePhotosApi api, LibraryJournals journals)
    {
        _emulator = emulator;
        _folder = folder;
        Api = api;
        Journals = journals;
    }

    public GooglePhotosApi Api { get; }
    public LibraryJournals Journals { get; }
    public Uri Url => _emulator.BaseUrl;

    public static async Task<PracticeLibrary> StartAsync(CliSettings settings, IHttpClientFactory http, OAuthTokenClient oauth,
        IOAuthBrowser browser, Terminal terminal, RetryOptions retry, TimeProvider time, CancellationToken cancellationToken)
    {
        var emulator = await PhotosEmulator.StartAsync(new EmulatorOptions(), cancellationToken).ConfigureAwait(false);
        var folder = Directory.CreateTempSubdirectory("q2google-practice-");
        var practice = settings with
        {
            ApiUrl = emulator.BaseUrl.AbsoluteUri,
            StateDir = Path.Combine(folder.FullName, "state"),
            ClientSecretsPath = Path.Combine(folder.FullName, "client_secret.json"),
            TokenPath = Path.Combine(folder.FullName, "token.json"),
            TokenJson = null,
        };
        var store = new InMemoryTokenStore(emulator.CreateLogin([.. PhotosScopes.Default, .. OpenIdScopes.All]).ToToken(), "the practice emulator's login");
        var library = new ProfileLibrary(practice, http, oauth, browser, terminal, retry, time, store);
        return new PracticeLibrary(emulator, folder, library.NewApi(), library.Journals);
    }

    /// <summary>What the practice library holds now: what <c>/emulator/state</c> shows, said before it is gone.</summary>
    public string Describe()
    {
        var items = _emulator.MediaItems;
        var names = string.Join(", ", items.Take(5).Select(i => i.FileName)) + (items.Count > 5 ? $", and {items.Count - 5} more" : "");
        return $"The practice library ({new Uri(Url, "emulator/state")} while this run lasted) holds {Plural.Of(items.Count, "media item")} " +
               $"({ByteCount.Format(items.Sum(i => i.Size))}) in {Plural.Of(_emulator.Albums.Count, "album")}{(items.Count > 0 ? ": " + names : "")}.";
    }

    public async ValueTask DisposeAsync()
    {
        await _emulator.DisposeAsync().ConfigureAwait(false);
        try
        {
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is tidied by the system; the run's result stands.
        }
    }
}
