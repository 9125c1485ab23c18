using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Q2Google.Api;
using Q2Google.Emulator;
using Q2Google.Tests.Infrastructure;
using AlbumPosition = Q2Google.Api.AlbumPosition;
using MediaItemBatchCreateRequest = Q2Google.Api.MediaItemBatchCreateRequest;
using NewMediaItem = Q2Google.Api.NewMediaItem;
using SimpleMediaItem = Q2Google.Api.SimpleMediaItem;

namespace Q2Google.Tests;

/// <summary>The emulator must be at least as strict as Google, or the client tests prove nothing.</summary>
public class EmulatorStrictnessTests
{
    private const long Granularity = 1024;

    private static async Task<(EmulatorHarness Harness, GooglePhotosApi Api, string Url, string Path)> StartSessionAsync(long size, EmulatorOptions? options = null)
    {
        var harness = await EmulatorHarness.StartAsync(options ?? new EmulatorOptions { ChunkGranularity = Granularity });
        var api = harness.CreateApi();
        var path = harness.Dir.File("a.jpg", size);
        var session = await api.InitUploadSessionAsync("image/jpeg", size, "a.jpg");
        return (harness, api, session.UploadUrl!, path);
    }

    [Test]
    public async Task Chunk_NotMultipleOfGranularity_Rejected400WithSessionStillActive()
    {
        var (harness, api, url, path) = await StartSessionAsync(Granularity * 4);
        await using var _ = harness;
        using var file = File.OpenHandle(path);

        var error = await Assert.That(() => api.UploadChunkAsync(url, UploadCommand.Upload, 0, new FileChunk(file, 0, Granularity + 10)))
            .Throws<GooglePhotosApiException>();

        await Assert.That(error!.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(error.UploadStatus).IsEqualTo(UploadStatus.Active);
        await Assert.That(error.SizeReceived).IsEqualTo(0);
        var ok = await api.UploadChunkAsync(url, UploadCommand.Upload, 0, new FileChunk(file, 0, Granularity));
        await Assert.That(ok.SizeReceived).IsEqualTo(Granularity);
    }

    [Test]
    public async Task Chunk_WrongOffset_Rejected400ReportingCommittedBytes()
    {
        var (harness, api, url, path) = await StartSessionAsync(Granularity * 4);
        await using var _ = harness;
        using var file = File.OpenHandle(path);
        await api.UploadChunkAsync(url, UploadCommand.Upload, 0, new FileChunk(file, 0, Granularity));

        var error = await Assert.That(() => api.UploadChunkAsync(url, UploadCommand.Upload, Granularity * 2, new FileChunk(file, Granularity * 2, Granularity)))
            .Throws<GooglePhotosApiException>();

        await Assert.That(error!.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(error.UploadStatus).IsEqualTo(UploadStatus.Active);
        await Assert.That(error.SizeReceived).IsEqualTo(Granularity);
    }

    [Test]
    public async Task Finalize_BeforeAllBytes_Rejected_AndUploadAfterFinal_Rejected()
    {
        var (harness, api, url, path) = await StartSessionAsync(Granularity * 2);
        await using var _ = harness;
        using var file = File.OpenHandle(path);

        await Assert.That(() => api.UploadChunkAsync(url, UploadCommand.UploadFinalize, 0, new FileChunk(file, 0, Granularity)))
            .Throws<GooglePhotosApiException>();
        var final = await api.UploadChunkAsync(url, UploadCommand.UploadFinalize, 0, new FileChunk(file, 0, Granularity * 2));
        await Assert.That(final.Status).IsEqualTo(UploadStatus.Final);
        await Assert.That(final.UploadToken).IsNotNull();

        var again = await Assert.That(() => api.UploadChunkAsync(url, UploadCommand.UploadFinalize, 0, new FileChunk(file, 0, Granularity * 2)))
            .Throws<GooglePhotosApiException>();
        await Assert.That(again!.UploadStatus).IsEqualTo(UploadStatus.Final);
        var query = await api.QueryUploadStatusAsync(url);
        await Assert.That(query.Status).IsEqualTo(UploadStatus.Final);
        // The token is handed out exactly once; a final query does not repeat it.
        await Assert.That(query.UploadToken).IsNull();
    }

    [Test]
    public async Task Chunk_BeyondDeclaredSize_Rejected413()
    {
        var (harness, api, url, path) = await StartSessionAsync(Granularity);
        await using var _ = harness;
        var bigger = harness.Dir.File("big.jpg", Granularity * 2);
        using var file = File.OpenHandle(bigger);

        var error = await Assert.That(() => api.UploadChunkAsync(url, UploadCommand.Upload, 0, new FileChunk(file, 0, Granularity * 2)))
            .Throws<GooglePhotosApiException>();
        await Assert.That(error!.StatusCode).IsEqualTo(HttpStatusCode.RequestEntityTooLarge);
    }

    [Test]
    public async Task BatchCreate_ReusedUploadToken_FailsThatItem()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { ChunkGranularity = Granularity });
        var client = harness.CreateClient();
        var session = await client.UploadFilePathAsync("a.jpg", harness.Dir.File("a.jpg", 100));
        var first = await client.CreateMediaItemsFromUploadSessionsAsync(["a.jpg"], [session]);

        var second = await client.CreateMediaItemsFromUploadSessionsAsync(["a.jpg"], [session]);

        await Assert.That(first[0].NewMediaItemResults![0].Status!.IsOk).IsTrue();
        await Assert.That(second[0].NewMediaItemResults![0].Status!.Code).IsEqualTo(3);
        await Assert.That(second[0].NewMediaItemResults![0].MediaItem).IsNull();
    }

    [Test]
    public async Task BatchCreate_ReusedUploadTokenInWholeRequestMode_Rejects400()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { ChunkGranularity = Granularity, ReusedTokenFailsWholeRequest = true });
        var client = harness.CreateClient();
        var session = await client.UploadFilePathAsync("a.jpg", harness.Dir.File("a.jpg", 100));
        await client.CreateMediaItemsFromUploadSessionsAsync(["a.jpg"], [session]);

        var error = await Assert.That(() => client.CreateMediaItemsFromUploadSessionsAsync(["a.jpg"], [session])).Throws<GooglePhotosApiException>();
        await Assert.That(error!.GoogleMessage).IsEqualTo("Request must contain a valid upload token.");
    }

    [Test]
    public async Task BatchCreate_51Items_Rejected400()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var api = harness.CreateApi();
        var items = Enumerable.Range(0, 51).Select(i => new NewMediaItem { SimpleMediaItem = new SimpleMediaItem { UploadToken = "t" + i } }).ToList();

        var error = await Assert.That(() => api.CreateMediaItemAsync(new MediaItemBatchCreateRequest { NewMediaItems = items })).Throws<GooglePhotosApiException>();
        await Assert.That(error!.GoogleMessage).IsEqualTo("Request must have less than 50 items.");
        await Assert.That(error.GoogleStatus).IsEqualTo("INVALID_ARGUMENT");
    }

    [Test]
    public async Task BatchCreate_AlbumPositionWithoutAlbum_Rejected400()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var api = harness.CreateApi();
        var request = new MediaItemBatchCreateRequest
        {
            NewMediaItems = [new NewMediaItem { SimpleMediaItem = new SimpleMediaItem { UploadToken = "t" } }],
            AlbumPosition = new AlbumPosition { Position = "FIRST_IN_ALBUM" },
        };

        await Assert.That(() => api.CreateMediaItemAsync(request)).Throws<GooglePhotosApiException>();
    }

    [Test]
    public async Task Json_UnknownField_WrongContentType_BothRejected()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var token = harness.Emulator.CreateAuthorizedUser().Token;
        using var http = new HttpClient();
        async Task<HttpStatusCode> PostAsync(HttpContent content)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(harness.Emulator.ApiUrl.AbsoluteUri + "mediaItems:batchCreate")) { Content = content };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        var unknownField = new StringContent("""{"newMediaItems":[{"simpleMediaItem":{"uploadToken":"x","fileNmae":"typo.jpg"}}]}""", Encoding.UTF8, "application/json");
        await Assert.That(await PostAsync(unknownField)).IsEqualTo(HttpStatusCode.BadRequest);

        var text = new StringContent("""{"newMediaItems":[{"simpleMediaItem":{"uploadToken":"x"}}]}""", Encoding.UTF8, "text/plain");
        await Assert.That(await PostAsync(text)).IsEqualTo(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Start_NonAsciiFileNameHeaderOrBody_Rejected400()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var token = harness.Emulator.CreateAuthorizedUser().Token;
        // .NET refuses non-ASCII header values unless told how to encode them; a careless client might.
        using var http = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 });
        async Task<HttpStatusCode> StartAsync(string fileName, byte[] body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(harness.Emulator.ApiUrl, "uploads")) { Content = new ByteArrayContent(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.TryAddWithoutValidation("X-Goog-Upload-Protocol", "resumable");
            request.Headers.TryAddWithoutValidation("X-Goog-Upload-Command", "start");
            request.Headers.TryAddWithoutValidation("X-Goog-Upload-Raw-Size", "10");
            request.Headers.TryAddWithoutValidation("X-Goog-Upload-File-Name", fileName);
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        await Assert.That(await StartAsync("caf\u00e9.jpg", [])).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(await StartAsync("cafe.jpg", [1, 2, 3])).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(await StartAsync("cafe.jpg", [])).IsEqualTo(HttpStatusCode.OK);
    }

    [Test]
    public async Task Start_PhotoAbove200MB_Rejected()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var api = harness.CreateApi();

        await Assert.That(() => api.InitUploadSessionAsync("image/jpeg", 200_000_001, "huge.jpg")).Throws<GooglePhotosApiException>();
        var video = await api.InitUploadSessionAsync("video/mp4", 200_000_001, "long.mp4");
        await Assert.That(video.Status).IsEqualTo(UploadStatus.Active);
    }

    [Test]
    public async Task Upload_TokenWithoutAppendScope_Gets403InsufficientScopes()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var api = harness.CreateApi(scopes: [PhotosScopes.ReadOnlyAppCreatedData]);

        var error = await Assert.That(() => api.InitUploadSessionAsync("image/jpeg", 10, "a.jpg")).Throws<GooglePhotosApiException>();

        await Assert.That(error!.StatusCode).IsEqualTo(HttpStatusCode.Forbidden);
        await Assert.That(error.IsInsufficientScope).IsTrue();
        await Assert.That(error.RequiredScope).IsEqualTo(PhotosScopes.AppendOnly);
    }

    [Test]
    public async Task Upload_RemovedLegacyScope_CountsAsNoScope()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var api = harness.CreateApi(scopes: ["https://www.googleapis.com/auth/photoslibrary"]);

        var error = await Assert.That(() => api.GetMediaItemAsync("x")).Throws<GooglePhotosApiException>();
        await Assert.That(error!.StatusCode).IsEqualTo(HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task Upload_NoToken_Gets401WithBareUploadBody()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(harness.Emulator.ApiUrl, "uploads")) { Content = new ByteArrayContent([]) };

        using var response = await http.SendAsync(request);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(await response.Content.ReadAsStringAsync()).IsEqualTo("""{"code":16,"message":"Authentication session is not defined."}""");
    }

    [Test]
    public async Task ZeroByteFile_UploadsButBatchCreateFailsIt()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var client = harness.CreateClient();
        var session = await client.UploadFilePathAsync("empty.jpg", harness.Dir.File("empty.jpg", 0));

        var responses = await client.CreateMediaItemsFromUploadSessionsAsync(["empty.jpg"], [session]);

        await Assert.That(responses[0].NewMediaItemResults![0].Status!.Code).IsEqualTo(3);
        await Assert.That(harness.Emulator.MediaItems.Count).IsEqualTo(0);
    }

    [Test]
    public async Task IdenticalBytes_MapToTheFirstMediaItem_KeepingTheFirstName()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var client = harness.CreateClient();
        var path = harness.Dir.File("first.jpg", 500);
        var first = await client.CreateMediaItemsFromUploadSessionsAsync(["first.jpg"], [await client.UploadFilePathAsync("first.jpg", path)]);

        var second = await client.CreateMediaItemsFromUploadSessionsAsync(["renamed.jpg"], [await client.UploadFilePathAsync("renamed.jpg", path)]);

        await Assert.That(second[0].NewMediaItemResults![0].MediaItem!.Id).IsEqualTo(first[0].NewMediaItemResults![0].MediaItem!.Id);
        await Assert.That(second[0].NewMediaItemResults![0].MediaItem!.Filename).IsEqualTo("first.jpg");
        await Assert.That(harness.Emulator.MediaItems.Count).IsEqualTo(1);
    }

    [Test]
    public async Task UploadToken_OlderThanADay_FailsItsItem()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { Time = clock });
        var client = harness.CreateClient(harness.CreateApi(time: clock));
        var session = await client.UploadFilePathAsync("a.jpg", harness.Dir.File("a.jpg", 100));
        clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));

        var responses = await client.CreateMediaItemsFromUploadSessionsAsync(["a.jpg"], [session]);

        await Assert.That(responses[0].NewMediaItemResults![0].Status!.Code).IsEqualTo(3);
        await Assert.That(harness.Emulator.MediaItems.Count).IsEqualTo(0);
    }

    [Test]
    public async Task UploadToken_OfAnotherUser_FailsItsItem()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var alice = harness.CreateClient(harness.CreateApi(new Q2Google.Auth.InMemoryTokenStore(harness.Emulator.CreateAuthorizedUser(user: "alice"), "alice")));
        var bob = harness.CreateClient(harness.CreateApi(new Q2Google.Auth.InMemoryTokenStore(harness.Emulator.CreateAuthorizedUser(user: "bob"), "bob")));
        var session = await alice.UploadFilePathAsync("a.jpg", harness.Dir.File("a.jpg", 100));

        var responses = await bob.CreateMediaItemsFromUploadSessionsAsync(["a.jpg"], [session]);

        await Assert.That(responses[0].NewMediaItemResults![0].Status!.Code).IsEqualTo(3);
        var mine = await alice.CreateMediaItemsFromUploadSessionsAsync(["a.jpg"], [session]);
        await Assert.That(mine[0].NewMediaItemResults![0].Status!.IsOk).IsTrue();
    }
}
