using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Q2Google.Http;

namespace Q2Google.Api;

/// <summary>
/// The Photos Library API over raw HTTP (docs/protocol.md). A typed <see cref="HttpClient"/>:
/// attaches the Bearer token, refreshes it once on a 401, enforces a per-request timeout that is reported as
/// <see cref="TimeoutException"/> (so it can be told apart from Ctrl+C), and turns every HTTP failure into
/// <see cref="GooglePhotosApiException"/>. It does not retry anything else: retry policy belongs to callers,
/// who know whether a request is safe to repeat.
/// </summary>
public sealed class GooglePhotosApi(HttpClient http, IAccessTokenProvider tokens, GooglePhotosApiOptions options) : IGooglePhotoLibraryPort
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    private long _requestCount;

    public Uri BaseUrl { get; } = options.BaseUrl;

    /// <summary>HTTP requests sent so far, retries included: each one costs Google quota.</summary>
    public long RequestCount => Interlocked.Read(ref _requestCount);

    /// <summary>
    /// The budget asked before every request (<c>--max-requests</c>, a quota shared by the jobs of one OAuth client);
    /// null: as many as Google allows.
    /// </summary>
    public IRequestGate? Gate { get; set; }

    public Task<ResumableUploadSession> InitUploadSessionAsync(string contentType, long contentLength, string fileName,
        CancellationToken cancellationToken = default) =>
        SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, Endpoint("uploads")) { Content = EmptyContent() };
            request.Headers.TryAddWithoutValidation(UploadHeaders.Protocol, "resumable");
            request.Headers.TryAddWithoutValidation(UploadHeaders.Command, "start");
            request.Headers.TryAddWithoutValidation(UploadHeaders.RawSize, contentLength.ToString(CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation(UploadHeaders.ContentType, contentType);
            request.Headers.TryAddWithoutValidation(UploadHeaders.FileName, AsciiFileName(fileName));
            return request;
        }, "upload start", PhotosScopes.AppendOnly, ReadSessionAsync, cancellationToken);

    public Task<ResumableUploadSession> UploadChunkAsync(string url, UploadCommand command, long offset, FileChunk content,
        CancellationToken cancellationToken = default)
    {
        var uri = SessionUri(url);
        return SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content.ToHttpContent() };
            request.Headers.TryAddWithoutValidation(UploadHeaders.Protocol, "resumable");
            request.Headers.TryAddWithoutValidation(UploadHeaders.Command, command.ToHeaderValue());
            request.Headers.TryAddWithoutValidation(UploadHeaders.Offset, offset.ToString(CultureInfo.InvariantCulture));
            return request;
        }, $"upload chunk at byte {offset}", PhotosScopes.AppendOnly, ReadSessionAsync, cancellationToken);
    }

    public Task<ResumableUploadSession> UploadRawAsync(string contentType, string fileName, FileChunk content,
        CancellationToken cancellationToken = default) =>
        SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, Endpoint("uploads")) { Content = content.ToHttpContent() };
            request.Headers.TryAddWithoutValidation(UploadHeaders.Protocol, "raw");
            request.Headers.TryAddWithoutValidation(UploadHeaders.ContentType, contentType);
            request.Headers.TryAddWithoutValidation(UploadHeaders.FileName, AsciiFileName(fileName));
            return request;
        }, "raw upload", PhotosScopes.AppendOnly, async (response, ct) =>
        {
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            // A raw upload has no session: the token in the body is the whole answer (docs/protocol.md#raw-upload).
            return ResumableUploadSession.FromHeaders(response.Headers, body) with { Status = UploadStatus.Final };
        }, cancellationToken);

    public Task<ResumableUploadSession> QueryUploadStatusAsync(string url, CancellationToken cancellationToken = default) =>
        SessionCommandAsync(url, UploadCommand.Query, cancellationToken);

    /// <summary>Abandons a session; Google documents no cancel for Photos, so failures here are harmless.</summary>
    public Task<ResumableUploadSession> CancelUploadAsync(string url, CancellationToken cancellationToken = default) =>
        SessionCommandAsync(url, UploadCommand.Cancel, cancellationToken);

    public Task<MediaItemBatchCreateResponse> CreateMediaItemAsync(MediaItemBatchCreateRequest request,
        CancellationToken cancellationToken = default) =>
        PostJsonAsync("mediaItems:batchCreate", request, ApiJsonContext.Default.MediaItemBatchCreateRequest,
            ApiJsonContext.Default.MediaItemBatchCreateResponse, "batchCreate", cancellationToken);

    public Task<MediaItem> GetMediaItemAsync(string mediaItemId, CancellationToken cancellationToken = default) =>
        GetJsonAsync("mediaItems/" + Uri.EscapeDataString(mediaItemId), ApiJsonContext.Default.MediaItem,
            "media item get", cancellationToken);

    /// <summary>Up to 50 media items by id, in one request; ids the library does not hold come back with a per-item status.</summary>
    public Task<BatchGetMediaItemsResponse> BatchGetMediaItemsAsync(IReadOnlyList<string> mediaItemIds, CancellationToken cancellationToken = default) =>
        GetJsonAsync("mediaItems:batchGet?" + string.Join('&', mediaItemIds.Select(id => "mediaItemIds=" + Uri.EscapeDataString(id))),
            ApiJsonContext.Default.BatchGetMediaItemsResponse, "media item batch get", cancellationToken);

    public Task<ListMediaItemsResponse> ListMediaItemsAsync(int? pageSize = null, string? pageToken = null,
        CancellationToken cancellationToken = default) =>
        GetJsonAsync("mediaItems" + Query(pageSize, pageToken), ApiJsonContext.Default.ListMediaItemsResponse,
            "media item list", cancellationToken);

    public Task<ListMediaItemsResponse> SearchMediaItemsAsync(SearchMediaItemsRequest request,
        CancellationToken cancellationToken = default) =>
        PostJsonAsync("mediaItems:search", request, ApiJsonContext.Default.SearchMediaItemsRequest,
            ApiJsonContext.Default.ListMediaItemsResponse, "media item search", cancellationToken, PhotosScopes.ReadOnlyAppCreatedData);

    public Task<Album> CreateAlbumAsync(string title, CancellationToken cancellationToken = default) =>
        PostJsonAsync("albums", new CreateAlbumRequest { Album = new Album { Title = title } },
            ApiJsonContext.Default.CreateAlbumRequest, ApiJsonContext.Default.Album, "album create", cancellationToken);

    public Task<Album> GetAlbumAsync(string albumId, CancellationToken cancellationToken = default) =>
        GetJsonAsync("albums/" + Uri.EscapeDataString(albumId), ApiJsonContext.Default.Album, "album get", cancellationToken);

    public Task<ListAlbumsResponse> ListAlbumsAsync(int? pageSize = null, string? pageToken = null,
        CancellationToken cancellationToken = default) =>
        GetJsonAsync("albums" + Query(pageSize, pageToken), ApiJsonContext.Default.ListAlbumsResponse,
            "album list", cancellationToken);

    public Task<EmptyResponse> BatchAddMediaItemsAsync(string albumId, IReadOnlyList<string> mediaItemIds,
        CancellationToken cancellationToken = default) =>
        PostJsonAsync("albums/" + Uri.EscapeDataString(albumId) + ":batchAddMediaItems",
            new BatchAddMediaItemsRequest { MediaItemIds = mediaItemIds },
            ApiJsonContext.Default.BatchAddMediaItemsRequest, ApiJsonContext.Default.EmptyResponse,
            "album add items", cancellationToken);

    /// <summary>
    /// Header values must be ASCII (docs/protocol.md#headers): anything else becomes <c>_</c>. The real name goes
    /// into batchCreate's <c>fileName</c>, which takes Unicode.
    /// </summary>
    public static string AsciiFileName(string fileName)
    {
        var builder = new StringBuilder(fileName.Length);
        foreach (var c in fileName) builder.Append(c is >= ' ' and <= '~' ? c : '_');
        return builder.ToString();
    }

    /// <summary>
    /// True when a resumable session URL lives on this API's endpoint (scheme, host and port): only such a URL is
    /// ever sent this login's token. A session saved against another endpoint (another emulator, another
    /// service) is never contacted.
    /// </summary>
    public bool OwnsSessionUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && EndpointRules.Origin(uri) == EndpointRules.Origin(BaseUrl);

    private Uri SessionUri(string url)
    {
        var uri = EndpointRules.RequireSecure(url, "upload session URL");
        if (!OwnsSessionUrl(url))
        {
            throw new UnexpectedSessionUrlException(
                $"the upload session URL points to {EndpointRules.Origin(uri)}, not to the API at {EndpointRules.Origin(BaseUrl)}; it was not contacted");
        }

        return uri;
    }

    private Task<ResumableUploadSession> SessionCommandAsync(string url, UploadCommand command, CancellationToken cancellationToken)
    {
        var uri = SessionUri(url);
        return SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = EmptyContent() };
            request.Headers.TryAddWithoutValidation(UploadHeaders.Protocol, "resumable");
            request.Headers.TryAddWithoutValidation(UploadHeaders.Command, command.ToHeaderValue());
            return request;
        }, "upload " + command.ToHeaderValue(), PhotosScopes.AppendOnly, ReadSessionAsync, cancellationToken);
    }

    private Task<TResponse> GetJsonAsync<TResponse>(string path, JsonTypeInfo<TResponse> responseType, string operation,
        CancellationToken cancellationToken) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Endpoint(path)), operation, PhotosScopes.ReadOnlyAppCreatedData,
            (response, ct) => ReadJsonAsync(response, responseType, operation, ct), cancellationToken);

    private Task<TResponse> PostJsonAsync<TRequest, TResponse>(string path, TRequest body, JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType, string operation, CancellationToken cancellationToken, string scope = PhotosScopes.AppendOnly)
    {
        // Serialized once, up front: a sized body (never chunked), replayable for the 401 retry.
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, requestType);
        return SendAsync(() =>
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = JsonMediaType;
            return new HttpRequestMessage(HttpMethod.Post, Endpoint(path)) { Content = content };
        }, operation, scope, (response, ct) => ReadJsonAsync(response, responseType, operation, ct), cancellationToken);
    }

    /// <summary>
    /// One logical request: builds a fresh message per attempt, sends it with the current token, retries once
    /// with a refreshed token on 401, and reads the answer inside the same timeout.
    /// </summary>
    private async Task<T> SendAsync<T>(Func<HttpRequestMessage> build, string operation, string scope,
        Func<HttpResponseMessage, CancellationToken, Task<T>> readSuccess, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.RequestTimeout);
            try
            {
                using var request = build();
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                Gate?.Take();
                Interlocked.Increment(ref _requestCount);

                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
                {
                    token = await tokens.RefreshAsync(token, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw await GooglePhotosApiException.FromResponseAsync(response, operation, scope, timeout.Token).ConfigureAwait(false);
                }

                return await readSuccess(response, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{operation}: no complete answer within {options.RequestTimeout.TotalSeconds:0} s");
            }
        }
    }

    private static async Task<ResumableUploadSession> ReadSessionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return ResumableUploadSession.FromHeaders(response.Headers, body);
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, string operation,
        CancellationToken cancellationToken)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize(bytes.Length == 0 ? "{}"u8 : bytes, type)
                   ?? throw new JsonException("null body");
        }
        catch (JsonException e)
        {
            throw new GooglePhotosApiException(response.StatusCode, null, $"the answer was not the expected JSON ({e.Message})", operation);
        }
    }

    private static ByteArrayContent EmptyContent()
    {
        // An explicit empty body so that Content-Length: 0 really goes out (docs/protocol.md#bodies-and-lengths).
        var content = new ByteArrayContent([]);
        content.Headers.ContentLength = 0;
        return content;
    }

    private Uri Endpoint(string path) => new(BaseUrl.AbsoluteUri + path);

    private static string Query(int? pageSize, string? pageToken)
    {
        var parts = new List<string>(2);
        if (pageSize is { } size) parts.Add("pageSize=" + size.ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(pageToken)) parts.Add("pageToken=" + Uri.EscapeDataString(pageToken));
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }
}
