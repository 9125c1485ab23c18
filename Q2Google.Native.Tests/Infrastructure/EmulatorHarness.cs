using Q2Google.Api;
using Q2Google.Auth;
using Q2Google.Emulator;
using Q2Google.Failures;
using Q2Google.Http;
using Q2Google.Upload;

namespace Q2Google.Tests.Infrastructure;

/// <summary>
/// A strict emulator on a free loopback port plus a real <see cref="GooglePhotosApi"/> talking to it over
/// HTTP. Nothing is mocked: every request crosses a socket.
/// </summary>
internal sealed class EmulatorHarness : IAsyncDisposable
{
    /// <summary>Backoff tuned for tests: real jitter and ordering, milliseconds instead of seconds.</summary>
    public static readonly RetryOptions FastRetry = new()
    {
        BaseDelay = TimeSpan.FromMilliseconds(5),
        MaxDelay = TimeSpan.FromMilliseconds(50),
        RateLimitFloor = TimeSpan.Zero,
        MaxTotalWait = TimeSpan.FromSeconds(30),
    };

    private readonly List<HttpClient> _clients = [];

    private EmulatorHarness(PhotosEmulator emulator, TempDir dir)
    {
        Emulator = emulator;
        Dir = dir;
    }

    public PhotosEmulator Emulator { get; }
    public TempDir Dir { get; }

    public static async Task<EmulatorHarness> StartAsync(EmulatorOptions? options = null) =>
        new(await PhotosEmulator.StartAsync(options ?? new EmulatorOptions()), new TempDir());

    /// <summary>An API client logged in as the emulator's user, with its token in <paramref name="store"/> (memory by default).</summary>
    public GooglePhotosApi CreateApi(ITokenStore? store = null, TimeSpan? requestTimeout = null, IReadOnlyList<string>? scopes = null,
        TimeProvider? time = null)
    {
        store ??= new InMemoryTokenStore(Emulator.CreateAuthorizedUser(scopes), "test memory");
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
        _clients.Add(http);
        var provider = new GooglePhotosOAuth("", PhotosScopes.Default, store, new OAuthTokenClient(http, time ?? TimeProvider.System), new NoBrowser(),
            TextReader.Null, TextWriter.Null, time ?? TimeProvider.System);
        return new GooglePhotosApi(http, provider, new GooglePhotosApiOptions
        {
            BaseUrl = Emulator.ApiUrl,
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(60),
        });
    }

    public GooglePhotosClient CreateClient(GooglePhotosApi? api = null, int multiplier = 4) =>
        new(api ?? CreateApi(), multiplier, FastRetry);

    /// <summary>The emulator's record of the item created from <paramref name="path"/>'s bytes, if any.</summary>
    public IReadOnlyList<EmulatedMediaItem> ItemsWithContentOf(string path)
    {
        var sha = TempDir.Sha256(path);
        return Emulator.MediaItems.Where(m => m.Sha256 == sha).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        await Emulator.DisposeAsync();
        Dir.Dispose();
    }
}
