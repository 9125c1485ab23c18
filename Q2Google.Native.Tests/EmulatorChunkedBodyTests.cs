using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Q2Google.Api;
using Q2Google.Emulator;
using Q2Google.Tests.Infrastructure;
using MediaItemBatchCreateRequest = Q2Google.Api.MediaItemBatchCreateRequest;
using NewMediaItem = Q2Google.Api.NewMediaItem;
using SimpleMediaItem = Q2Google.Api.SimpleMediaItem;

namespace Q2Google.Tests;

/// <summary>
/// Google's front ends take <c>Transfer-Encoding: chunked</c> request bodies (rclone streams uploads that way,
/// <c>curl -T -</c> too), so the emulator must; broken framing still gets 400, and the resumable upload and
/// finalize requests keep the Content-Length the protocol notes require.
/// </summary>
public class EmulatorChunkedBodyTests
{
    private static HttpRequestMessage Post(Uri url, string token, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    /// <summary>A body HttpClient cannot size, so it goes out chunked, <paramref name="readSize"/> bytes a chunk.</summary>
    private static StreamContent Chunked(byte[] bytes, int readSize, string? contentType = null)
    {
        var content = new StreamContent(new ForwardOnlyStream(bytes, readSize));
        if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    private static string Head(PhotosEmulator emulator, string requestLine, string token, params string[] headers) =>
        $"{requestLine} HTTP/1.1\nHost: {emulator.BaseUrl.Authority}\nAuthorization: Bearer {token}\n{string.Join('\n', headers)}";

    [Test]
    public async Task RawUploadAndBatchCreate_ChunkedBodies_CreateTheItemWithTheExactBytes()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var token = harness.Emulator.CreateAuthorizedUser().Token!;
        var bytes = await File.ReadAllBytesAsync(harness.Dir.File("a.jpg", 5000));
        using var http = new HttpClient();

        using var upload = Post(new Uri(harness.Emulator.ApiUrl, "uploads"), token, Chunked(bytes, 777, "application/octet-stream"));
        upload.Headers.TryAddWithoutValidation("X-Goog-Upload-Protocol", "raw");
        upload.Headers.TryAddWithoutValidation("X-Goog-Upload-File-Name", "a.jpg");
        using var uploaded = await http.SendAsync(upload);
        var uploadToken = await uploaded.Content.ReadAsStringAsync();
        var json = Encoding.UTF8.GetBytes($$$"""{"newMediaItems":[{"simpleMediaItem":{"uploadToken":"{{{uploadToken}}}","fileName":"a.jpg"}}]}""");
        using var create = Post(new Uri(harness.Emulator.ApiUrl.AbsoluteUri + "mediaItems:batchCreate"), token, Chunked(json, 16, "application/json"));
        using var created = await http.SendAsync(create);

        await Assert.That(upload.Content!.Headers.ContentLength).IsNull();
        await Assert.That(uploaded.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(created.StatusCode).IsEqualTo(HttpStatusCode.OK).Because(await created.Content.ReadAsStringAsync());
        var item = harness.Emulator.MediaItems.Single();
        await Assert.That(item.Size).IsEqualTo(5000);
        await Assert.That(item.Sha256).IsEqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        await Assert.That(harness.Emulator.Requests.First(r => r.Path == "/v1/uploads").ContentLength).IsEqualTo(5000);
    }

    [Test]
    public async Task ChunkedBody_WithChunkExtensionsAndTrailers_IsAccepted()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var token = harness.Emulator.CreateAuthorizedUser().Token!;
        var body = new List<byte>();
        body.AddRange("4;name=value\r\n"u8.ToArray());
        body.AddRange(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 });
        body.AddRange("\r\nA ; lonely-name\r\n0123456789\r\n000\r\nX-Checksum: abc\r\nX-Other:\r\n\r\n"u8.ToArray());

        var answer = await RawHttp.SendAsync(harness.Emulator.BaseUrl,
            Head(harness.Emulator, "POST /v1/uploads", token, "X-Goog-Upload-Protocol: raw", "X-Goog-Upload-File-Name: b.jpg",
                "Transfer-Encoding: chunked", "Connection: close"), [.. body]);
        var created = await harness.CreateApi().CreateMediaItemAsync(new MediaItemBatchCreateRequest
        {
            NewMediaItems = [new NewMediaItem { SimpleMediaItem = new SimpleMediaItem { UploadToken = answer.Body } }],
        });

        await Assert.That(answer.Status).IsEqualTo(200).Because(answer.Body);
        await Assert.That(created.NewMediaItemResults![0].Status!.IsOk).IsTrue();
        await Assert.That(harness.Emulator.MediaItems.Single().Size).IsEqualTo(14);
    }

    [Test]
    [Arguments("zz\r\nabc\r\n0\r\n\r\n")]
    [Arguments("3\r\nabcX\r\n0\r\n\r\n")]
    [Arguments("3\nabc\r\n0\r\n\r\n")]
    [Arguments("3 x\r\nabc\r\n0\r\n\r\n")]
    [Arguments("10000000000000000\r\nabc\r\n")]
    [Arguments("3\r\nabc\r\n0\r\nno colon here\r\n\r\n")]
    public async Task MalformedChunkedBody_400AndTheConnectionIsClosed(string body)
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var token = harness.Emulator.CreateAuthorizedUser().Token!;

        var answer = await RawHttp.SendAsync(harness.Emulator.BaseUrl,
            Head(harness.Emulator, "POST /v1/uploads", token, "X-Goog-Upload-Protocol: raw", "Transfer-Encoding: chunked"),
            Encoding.ASCII.GetBytes(body));

        await Assert.That(answer.Status).IsEqualTo(400);
        await Assert.That(answer.ClosedByServer).IsTrue();
        await Assert.That(harness.Emulator.MediaItems.Count).IsEqualTo(0);
    }

    [Test]
    public async Task Resumable_StartQueryCancelTakeChunkedEmptyBodies_UploadChunksStillNeedContentLength()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var token = harness.Emulator.CreateAuthorizedUser().Token!;
        using var http = new HttpClient();
        async Task<HttpResponseMessage> SendAsync(Uri url, string command, byte[] body, string? rawSize = null)
        {
            using var request = Post(url, token, Chunked(body, 4));
            request.Headers.TryAddWithoutValidation("X-Goog-Upload-Protocol", "resumable");
            request.Headers.TryAddWithoutValidation("X-Goog-Upload-Command", command);
            if (rawSize is not null) request.Headers.TryAddWithoutValidation("X-Goog-Upload-Raw-Size", rawSize);
            request.Headers.TryAddWithoutValidation("X-Goog-Upload-Offset", "0");
            return await http.SendAsync(request);
        }

        var uploads = new Uri(harness.Emulator.ApiUrl, "uploads");
        using var notEmpty = await SendAsync(uploads, "start", [1], rawSize: "10");
        using var start = await SendAsync(uploads, "start", [], rawSize: "10");
        var session = new Uri(start.Headers.GetValues("X-Goog-Upload-URL").Single());
        using var query = await SendAsync(session, "query", []);
        using var chunk = await SendAsync(session, "upload, finalize", new byte[10]);
        using var cancel = await SendAsync(session, "cancel", []);

        await Assert.That(notEmpty.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(start.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(query.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(query.Headers.GetValues("X-Goog-Upload-Size-Received").Single()).IsEqualTo("0");
        await Assert.That(chunk.StatusCode).IsEqualTo(HttpStatusCode.LengthRequired);
        await Assert.That(chunk.Headers.GetValues("X-Goog-Upload-Status").Single()).IsEqualTo("active");
        await Assert.That(cancel.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(cancel.Headers.GetValues("X-Goog-Upload-Status").Single()).IsEqualTo("cancelled");
    }

    [Test]
    public async Task OAuthEndpoints_TakeChunkedForms()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var user = harness.Emulator.CreateAuthorizedUser(["openid", .. PhotosScopes.Default]);
        var client = harness.Emulator.Client;
        using var http = new HttpClient();
        async Task<HttpResponseMessage> FormAsync(string path, string form) =>
            await http.PostAsync(new Uri(harness.Emulator.BaseUrl, path), Chunked(Encoding.ASCII.GetBytes(form), 7, "application/x-www-form-urlencoded"));

        using var refreshed = await FormAsync("token",
            $"grant_type=refresh_token&refresh_token={Uri.EscapeDataString(user.RefreshToken!)}&client_id={client.ClientId}&client_secret={client.ClientSecret}");
        using var info = await FormAsync("tokeninfo", "access_token=" + Uri.EscapeDataString(user.Token!));
        using var revoked = await FormAsync("revoke", "token=" + Uri.EscapeDataString(user.RefreshToken!));

        await Assert.That(refreshed.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await refreshed.Content.ReadAsStringAsync()).Contains("\"id_token\"");
        await Assert.That(info.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(revoked.StatusCode).IsEqualTo(HttpStatusCode.OK);
    }

    [Test]
    public async Task Framing_LengthWithChunked400_OtherCoding501_NeitherOnAPost411FromTheFrontEnd()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var token = harness.Emulator.CreateAuthorizedUser().Token!;
        var emulator = harness.Emulator;

        var both = await RawHttp.SendAsync(emulator.BaseUrl,
            Head(emulator, "POST /v1/uploads", token, "X-Goog-Upload-Protocol: raw", "Transfer-Encoding: chunked", "Content-Length: 3"),
            "3\r\nabc\r\n0\r\n\r\n"u8.ToArray());
        var gzip = await RawHttp.SendAsync(emulator.BaseUrl,
            Head(emulator, "POST /v1/uploads", token, "X-Goog-Upload-Protocol: raw", "Transfer-Encoding: gzip, chunked"), "0\r\n\r\n"u8.ToArray());
        var unsized = await RawHttp.SendAsync(emulator.BaseUrl, Head(emulator, "POST /v1/mediaItems:batchCreate", token, "Content-Type: application/json", "Connection: close"));
        var unsizedToken = await RawHttp.SendAsync(emulator.BaseUrl, Head(emulator, "POST /token", token, "Connection: close"));

        await Assert.That(both.Status).IsEqualTo(400);
        await Assert.That(both.ClosedByServer).IsTrue();
        await Assert.That(gzip.Status).IsEqualTo(501);
        await Assert.That(gzip.ClosedByServer).IsTrue();
        await Assert.That(unsized.Status).IsEqualTo(411);
        await Assert.That(unsized.Head).Contains("Content-Type: text/html");
        await Assert.That(unsized.Body).Contains("POST requests require a <code>Content-length</code> header.");
        await Assert.That(unsizedToken.Status).IsEqualTo(411);
    }

    [Test]
    public async Task ChunkedJson_OverTheBodyCap_413()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var token = harness.Emulator.CreateAuthorizedUser().Token!;
        var json = Encoding.ASCII.GetBytes(new string(' ', 4 * 1024 * 1024) + """{"album":{"title":"x"}}""");
        using var http = new HttpClient();

        using var request = Post(new Uri(harness.Emulator.ApiUrl, "albums"), token, Chunked(json, 64 * 1024, "application/json"));
        using var response = await http.SendAsync(request);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.RequestEntityTooLarge);
        await Assert.That(harness.Emulator.Albums.Count).IsEqualTo(0);
    }
}
