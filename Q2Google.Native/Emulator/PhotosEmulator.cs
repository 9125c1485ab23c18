using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Q2Google.Http;

namespace Q2Google.Emulator;

/// <summary>
/// A strict stand-in for the Photos Library API and Google's OAuth endpoints on 127.0.0.1, enforcing the
/// checks of docs/protocol.md#emulator-checks with Google-shaped errors. It remembers every media item's name, album, size and
/// SHA-256, so tests can prove each byte arrived exactly once, and it misbehaves on request (faults, chaos).
/// Thread-safe; all state sits behind one lock, bodies are read outside it.
/// </summary>
internal sealed partial class PhotosEmulator : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly HttpServer _server;
    private readonly Random _chaos;
    private readonly List<EmulatorFault> _faults = [];
    private readonly List<EmulatorRequest> _requests = [];
    private readonly Dictionary<string, EmulatedClient> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EmulatedGrant> _grants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EmulatedAccessToken> _accessTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EmulatedAuthCode> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EmulatedUploadSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EmulatedUploadToken> _uploadTokens = new(StringComparer.Ordinal);
    private readonly List<EmulatedMediaItem> _mediaItems = [];
    private readonly Dictionary<string, EmulatedMediaItem> _mediaById = new(StringComparer.Ordinal);

    /// <summary>The first media item of each user's bytes: Google's dedup looks it up on every create (a scan would be O(n²) at a million items).</summary>
    private readonly Dictionary<(string User, string Sha256, long Size), EmulatedMediaItem> _mediaByContent = [];
    private readonly List<EmulatedAlbum> _albums = [];
    private readonly Dictionary<string, EmulatedAlbum> _albumsById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _batchCreatesInFlight = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> _lastMinute = new();
    private readonly EmulatorPersistence? _persistence;
    private readonly IdTokenSigner _signer = new();
    private BandwidthLimit? _uplink;
    private long _requestsToday;
    private DateOnly _quotaDay;

    private PhotosEmulator(EmulatorOptions options, X509Certificate2? certificate, string hostName)
    {
        Options = options;
        _chaos = options.ChaosSeed is { } seed ? new Random(seed) : new Random();
        _server = new HttpServer(new IPEndPoint(IPAddress.Loopback, options.Port), HandleAsync, certificate) { HostName = hostName };
        if (options.DataDirectory is not null) _persistence = new EmulatorPersistence(options.DataDirectory);
    }

    /// <summary>Called as each request arrives, before it is handled: lets a test act at a precise moment.</summary>
    public Action<string, string?>? RequestArrived { get; set; }

    /// <summary>The options in force; tests may swap them between requests (for example to deny consent).</summary>
    public EmulatorOptions Options { get; set; }

    /// <summary>Root of the emulator, e.g. <c>http://127.0.0.1:41234/</c>; OAuth endpoints hang off it.</summary>
    public Uri BaseUrl => _server.BaseUrl;

    /// <summary>The Library API base, <c>…/v1/</c>.</summary>
    public Uri ApiUrl => new(BaseUrl, "v1/");

    public Uri TokenUri => new(BaseUrl, "token");

    public Uri AuthorizationUri => new(BaseUrl, "o/oauth2/auth");

    /// <summary>Google's tokeninfo endpoint (<c>https://oauth2.googleapis.com/tokeninfo</c>).</summary>
    public Uri TokenInfoUri => new(BaseUrl, "tokeninfo");

    /// <summary>The JWKS that verifies the emulator's id_tokens (<c>https://www.googleapis.com/oauth2/v3/certs</c>).</summary>
    public Uri CertsUri => new(BaseUrl, "oauth2/v3/certs");

    /// <summary>The account the consent page logs in and the ready-made token belongs to.</summary>
    public EmulatedAccount Account => new(Options.AccountSub, Options.AccountEmail);

    /// <summary>The OAuth client written to <c>client_secret.json</c>.</summary>
    public EmulatedClient Client { get; private set; } = null!;

    public static Task<PhotosEmulator> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default) =>
        StartAsync(options, null, "127.0.0.1", cancellationToken);

    /// <param name="certificate">Serve HTTPS with this certificate instead of plain HTTP.</param>
    /// <param name="hostName">The host name put into URLs the emulator hands out (session URLs, client files).</param>
    public static async Task<PhotosEmulator> StartAsync(EmulatorOptions? options, X509Certificate2? certificate, string hostName,
        CancellationToken cancellationToken = default)
    {
        var emulator = new PhotosEmulator(options ?? new EmulatorOptions(), certificate, hostName);
        await emulator.LoadStateAsync(cancellationToken).ConfigureAwait(false);
        emulator._server.Start();
        return emulator;
    }

    public IReadOnlyList<EmulatedMediaItem> MediaItems
    {
        get { lock (_gate) return [.. _mediaItems.Select(m => m with { AlbumIds = [.. m.AlbumIds] })]; }
    }

    public IReadOnlyList<EmulatedAlbum> Albums
    {
        get { lock (_gate) return [.. _albums.Select(a => a with { MediaItemIds = [.. a.MediaItemIds] })]; }
    }

    public IReadOnlyList<EmulatorRequest> Requests
    {
        get { lock (_gate) return [.. _requests]; }
    }

    /// <summary>Library API requests counted against today's quota.</summary>
    public long RequestsToday
    {
        get { lock (_gate) return _requestsToday; }
    }

    /// <summary>Google's "installed" client file for this emulator's default client.</summary>
    public string ClientSecretJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("installed");
            writer.WriteString("client_id", Client.ClientId);
            writer.WriteString("project_id", "q2google-emulator");
            writer.WriteString("auth_uri", AuthorizationUri.AbsoluteUri);
            writer.WriteString("token_uri", TokenUri.AbsoluteUri);
            writer.WriteString("auth_provider_x509_cert_url", new Uri(BaseUrl, "oauth2/v1/certs").AbsoluteUri);
            writer.WriteString("client_secret", Client.ClientSecret);
            writer.WriteStartArray("redirect_uris");
            writer.WriteStringValue("http://localhost");
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private async ValueTask<HttpResponse> HandleAsync(HttpExchange exchange, CancellationToken cancellationToken)
    {
        var request = exchange.Request;
        RequestArrived?.Invoke(request.Path, request.Header(UploadProtocol.Command) ?? request.Header(UploadProtocol.Protocol));
        HttpResponse response;
        try
        {
            response = request.Path switch
            {
                // Not Google's: a control endpoint, so Google's framing rules below do not apply to it.
                _ when IsDeleteRoute(request) => HandleDelete(request),
                // Google's front ends refuse a POST whose body is neither sized nor chunked before any service sees it.
                _ when request.Method == "POST" && !request.HasHeader("Content-Length") && !exchange.Body.IsChunked => GoogleErrors.LengthRequired(),
                // openidconnect.googleapis.com's path; the Photos API has no such route, so it may go first.
                "/v1/userinfo" or "/oauth2/v3/userinfo" => HandleUserInfo(exchange),
                _ when request.Path.StartsWith("/v1/", StringComparison.Ordinal) => await HandleApiAsync(exchange, cancellationToken).ConfigureAwait(false),
                "/o/oauth2/auth" or "/o/oauth2/v2/auth" => HandleAuthorize(exchange),
                "/token" => await HandleTokenAsync(exchange, cancellationToken).ConfigureAwait(false),
                "/revoke" => await HandleRevokeAsync(exchange, cancellationToken).ConfigureAwait(false),
                "/tokeninfo" or "/oauth2/v3/tokeninfo" => await HandleTokenInfoAsync(exchange, cancellationToken).ConfigureAwait(false),
                "/oauth2/v3/certs" => HandleCerts(exchange),
                "/.well-known/openid-configuration" => HandleDiscovery(exchange),
                "/emulator/state" => HandleState(),
                "/" => HttpResponse.Text(200, "q2google emulator: Photos Library API under /v1/, OAuth under /o/oauth2/auth, /token, /revoke, /tokeninfo, /oauth2/v3/certs, /oauth2/v3/userinfo, /.well-known/openid-configuration; state under /emulator/state; POST /emulator/mediaItems/ID:delete deletes an item as the Google Photos app would\n"),
                _ => GoogleErrors.Json(404, $"The requested URL {request.Path} was not found on this server.", "NOT_FOUND"),
            };
        }
        catch (AbortConnectionException)
        {
            Record(exchange, 0);
            throw;
        }

        if (Options.LowerCaseHeaderNames)
        {
            var lowered = response.Headers.Select(h => new KeyValuePair<string, string>(h.Key.ToLowerInvariant(), h.Value)).ToList();
            response.Headers.Clear();
            response.Headers.AddRange(lowered);
        }

        Record(exchange, response.Status);
        return response;
    }

    private void Record(HttpExchange exchange, int status)
    {
        var request = exchange.Request;
        var offset = long.TryParse(request.Header(UploadProtocol.Offset), out var o) ? o : (long?)null;
        // A chunked body's length is what the handler has read of it by now.
        var length = exchange.Body.DeclaredLength ?? exchange.Body.BytesRead;
        lock (_gate)
        {
            _requests.Add(new EmulatorRequest(Options.Time.GetUtcNow(), request.Method, request.Path,
                request.Header(UploadProtocol.Command), offset, length, status));
        }
    }

    /// <summary>The first fault that matches, used up by this call; null when none applies.</summary>
    private EmulatorFault? TakeFault(FaultTarget target, params FaultKind[] kinds)
    {
        lock (_gate)
        {
            for (var i = 0; i < _faults.Count; i++)
            {
                var fault = _faults[i];
                if ((fault.Target != target && fault.Target != FaultTarget.AnyApi) || !kinds.Contains(fault.Kind)) continue;
                if (fault.Target == FaultTarget.AnyApi && target == FaultTarget.Token) continue;
                if (fault.After > 0)
                {
                    _faults[i] = fault with { After = fault.After - 1 };
                    return null;
                }

                if (fault.Count <= 1) _faults.RemoveAt(i);
                else _faults[i] = fault with { Count = fault.Count - 1 };
                return fault;
            }
        }

        return null;
    }

    internal static string RandomId(int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return RandomNumberGenerator.GetString(alphabet, length);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync().ConfigureAwait(false);
        if (_persistence is not null) await _persistence.FlushAsync(TakeSnapshot).ConfigureAwait(false);
        _signer.Dispose();
    }
}
