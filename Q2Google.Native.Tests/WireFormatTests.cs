using System.Net.Http.Headers;
using System.Text.Json;
using Q2Google.Api;
using Q2Google.Auth;
using Q2Google.Failures;
using Q2Google.Http;

namespace Q2Google.Tests;

public class WireFormatTests
{
    [Test]
    public async Task ResumableUploadSession_FromHeaders_ReadsEveryHeaderCaseInsensitively()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("x-goog-upload-url", "https://photoslibrary.googleapis.com/v1/uploads?upload_id=ABC&upload_protocol=resumable");
        response.Headers.TryAddWithoutValidation("X-GOOG-UPLOAD-CHUNK-GRANULARITY", "262144");
        response.Headers.TryAddWithoutValidation("X-Goog-Upload-Status", "ACTIVE");
        response.Headers.TryAddWithoutValidation("X-Goog-Upload-Size-Received", "5368709120");
        response.Headers.TryAddWithoutValidation("X-GUploader-UploadID", "diag-1");
        response.Headers.TryAddWithoutValidation("Date", "Sun, 06 Nov 1994 08:49:37 GMT");

        var session = ResumableUploadSession.FromHeaders(response.Headers, "  CAIStoken\n");

        await Assert.That(session.UploadUrl).IsEqualTo("https://photoslibrary.googleapis.com/v1/uploads?upload_id=ABC&upload_protocol=resumable");
        await Assert.That(session.ChunkGranularity).IsEqualTo(262144);
        await Assert.That(session.Status).IsEqualTo(UploadStatus.Active);
        await Assert.That(session.SizeReceived).IsEqualTo(5368709120L);
        await Assert.That(session.UploaderId).IsEqualTo("diag-1");
        await Assert.That(session.Date).IsEqualTo(new DateTimeOffset(1994, 11, 6, 8, 49, 37, TimeSpan.Zero));
        await Assert.That(session.UploadToken).IsEqualTo("CAIStoken");
    }

    [Test]
    public async Task ResumableUploadSession_EmptyBodyAndMissingHeaders_AreNull()
    {
        using var response = new HttpResponseMessage();
        var session = ResumableUploadSession.FromHeaders(response.Headers, " \n");

        await Assert.That(session.UploadToken).IsNull();
        await Assert.That(session.ChunkGranularity).IsNull();
        await Assert.That(session.Status).IsEqualTo(UploadStatus.Unknown);
    }

    [Test]
    public async Task MediaItem_NanosecondTimes_StringNumbers_UnknownKeys_RoundTrip()
    {
        const string json = """
            {"id":"X1","productUrl":"https://photos.google.com/lr/photo/X1","mimeType":"image/jpeg","filename":"IMG.JPG",
             "mediaMetadata":{"creationTime":"2014-10-02T15:01:23.045123456Z","width":"4032","height":"3024",
                              "photo":{"cameraMake":"Pixel","focalLength":4.38},"futureField":{"a":1}},
             "contributorInfo":{"displayName":"x"}}
            """;

        var item = JsonSerializer.Deserialize(json, ApiJsonContext.Default.MediaItem)!;
        var again = JsonSerializer.Serialize(item, ApiJsonContext.Default.MediaItem);

        await Assert.That(item.MediaMetadata!.Width).IsEqualTo(4032);
        await Assert.That(item.MediaMetadata.Height).IsEqualTo(3024);
        await Assert.That(item.MediaMetadata.CreationTime).IsEqualTo("2014-10-02T15:01:23.045123456Z");
        await Assert.That(item.MediaMetadata.ExtensionData!.ContainsKey("futureField")).IsTrue();
        await Assert.That(again).Contains("\"width\":\"4032\"");
        await Assert.That(again).Contains("\"futureField\":{\"a\":1}");
        await Assert.That(ExpiryJsonConverter.Parse(item.MediaMetadata.CreationTime))
            .IsEqualTo(new DateTimeOffset(2014, 10, 2, 15, 1, 23, TimeSpan.Zero).AddTicks(451234));
    }

    [Test]
    public async Task BatchCreateResponse_SuccessWithoutCode_IsOk_FailureIsNot()
    {
        const string json = """
            {"newMediaItemResults":[
              {"uploadToken":"a","status":{"message":"Success"},"mediaItem":{"id":"1"}},
              {"uploadToken":"b","status":{"code":0,"message":"OK"},"mediaItem":{"id":"2"}},
              {"uploadToken":"c","status":{"code":3,"message":"BAD_IMAGE: There was an error while trying to create this media item."}}]}
            """;

        var response = JsonSerializer.Deserialize(json, ApiJsonContext.Default.MediaItemBatchCreateResponse)!;

        await Assert.That(response.NewMediaItemResults!.Select(r => r.Status!.IsOk).ToArray()).IsEquivalentTo(new[] { true, true, false });
        await Assert.That(response.NewMediaItemResults![2].MediaItem).IsNull();
    }

    [Test]
    public async Task BatchCreateRequest_Serializes_CamelCase_WithoutNulls()
    {
        var request = new MediaItemBatchCreateRequest
        {
            AlbumId = "AL",
            NewMediaItems = [new NewMediaItem { SimpleMediaItem = new SimpleMediaItem { UploadToken = "T", FileName = "a.jpg" } }],
            AlbumPosition = new AlbumPosition { Position = "LAST_IN_ALBUM" },
        };

        var json = JsonSerializer.Serialize(request, ApiJsonContext.Default.MediaItemBatchCreateRequest);

        await Assert.That(json).IsEqualTo("""{"albumId":"AL","newMediaItems":[{"simpleMediaItem":{"uploadToken":"T","fileName":"a.jpg"}}],"albumPosition":{"position":"LAST_IN_ALBUM"}}""");
    }

    [Test]
    public async Task GoogleError_StandardAndBareUploadShapes_BothParse()
    {
        var standard = JsonSerializer.Deserialize("""{"error":{"code":403,"message":"Request had insufficient authentication scopes.","status":"PERMISSION_DENIED","details":[{"@type":"x"}]}}""",
            ApiJsonContext.Default.GoogleErrorResponse)!;
        var bare = JsonSerializer.Deserialize("""{"code":16,"message":"Authentication session is not defined."}""", ApiJsonContext.Default.GoogleErrorResponse)!;

        await Assert.That(standard.Error!.Status).IsEqualTo("PERMISSION_DENIED");
        await Assert.That(bare.Code).IsEqualTo(16);
        await Assert.That(bare.Message).IsEqualTo("Authentication session is not defined.");
    }

    [Test]
    public async Task Album_MediaItemsCountAsString_Parses()
    {
        var album = JsonSerializer.Deserialize("""{"id":"A","title":"T","isWriteable":true,"mediaItemsCount":"20000"}""", ApiJsonContext.Default.Album)!;
        await Assert.That(album.MediaItemsCount).IsEqualTo(20000);
    }

    [Test]
    [Arguments("2025-06-01T12:34:56.789012Z", 7890120)]
    [Arguments("2025-06-01T12:34:56Z", 0)]
    [Arguments("2025-06-01T14:34:56.789012+02:00", 7890120)]
    [Arguments("2025-06-01T12:34:56.789012345Z", 7890123)]
    [Arguments("2025-06-01T12:34:56", 0)]
    public async Task TokenExpiry_EveryFormatInTheWild_ParsesAsUtc(string text, long fractionTicks)
    {
        var parsed = ExpiryJsonConverter.Parse(text);
        await Assert.That(parsed).IsEqualTo(new DateTimeOffset(2025, 6, 1, 12, 34, 56, TimeSpan.Zero).AddTicks(fractionTicks));
    }

    [Test]
    public async Task TokenFile_PythonLayout_ReadsAndWritesBackCompatibly()
    {
        const string python = """
            {"token": "ya29.a0", "refresh_token": "1//0g", "token_uri": "https://oauth2.googleapis.com/token",
             "client_id": "123-abc.apps.googleusercontent.com", "client_secret": "GOCSPX-x",
             "scopes": "https://www.googleapis.com/auth/photoslibrary.appendonly https://www.googleapis.com/auth/photoslibrary.readonly.appcreateddata",
             "universe_domain": "googleapis.com", "account": "", "expiry": "2025-06-01T12:34:56Z", "rapt_token": "keep-me"}
            """;

        var token = FileTokenStore.Parse(System.Text.Encoding.UTF8.GetBytes(python), "test");
        var written = JsonSerializer.Serialize(token, TokenJsonContext.Default.AuthorizedUserToken);
        using var document = JsonDocument.Parse(written);
        var root = document.RootElement;

        await Assert.That(token.Scopes!.Count).IsEqualTo(2);
        await Assert.That(token.Expiry).IsEqualTo(new DateTimeOffset(2025, 6, 1, 12, 34, 56, TimeSpan.Zero));
        await Assert.That(root.GetProperty("expiry").GetString()).IsEqualTo("2025-06-01T12:34:56.000000Z");
        await Assert.That(root.GetProperty("scopes").ValueKind).IsEqualTo(JsonValueKind.Array);
        await Assert.That(root.GetProperty("rapt_token").GetString()).IsEqualTo("keep-me");
        await Assert.That(root.GetProperty("refresh_token").GetString()).IsEqualTo("1//0g");
        await Assert.That(root.TryGetProperty("type", out _)).IsFalse();
    }

    [Test]
    public async Task TokenFile_Corrupt_ErrorNamesTheFileButNotItsContent()
    {
        var error = await Assert.That(() => FileTokenStore.Parse("""{"token": "ya29.SECRET", "refresh_token": 1//x"""u8.ToArray(), "the token file /x/token.json"))
            .Throws<TokenStoreException>();

        await Assert.That(error!.Message).Contains("/x/token.json");
        await Assert.That(error.Message).DoesNotContain("SECRET");
        await Assert.That(error.Message).DoesNotContain("1//x");
    }

    [Test]
    public async Task TokenToString_NeverShowsSecrets()
    {
        var token = new AuthorizedUserToken { Token = "ya29.SECRET", RefreshToken = "1//SECRET", ClientSecret = "GOCSPX-SECRET", ClientId = "123-abc.apps.googleusercontent.com" };
        await Assert.That(token.ToString()).DoesNotContain("SECRET");
        await Assert.That(new OAuthTokenResponse { AccessToken = "ya29.SECRET", RefreshToken = "1//SECRET" }.ToString()).DoesNotContain("SECRET");
    }

    [Test]
    [Arguments("http://127.0.0.1:8080", "http://127.0.0.1:8080/v1/")]
    [Arguments("https://photoslibrary.googleapis.com", "https://photoslibrary.googleapis.com/v1/")]
    [Arguments("https://photoslibrary.googleapis.com/v1/", "https://photoslibrary.googleapis.com/v1/")]
    [Arguments("http://localhost:9/v1", "http://localhost:9/v1/")]
    public async Task ApiUrl_Normalized(string given, string expected)
    {
        await Assert.That(GooglePhotosApiOptions.NormalizeBaseUrl(given).AbsoluteUri).IsEqualTo(expected);
    }

    [Test]
    [Arguments("http://photoslibrary.googleapis.com")]
    [Arguments("http://192.168.1.10:8080")]
    [Arguments("ftp://127.0.0.1")]
    [Arguments("not a url")]
    public async Task ApiUrl_PlainHttpOffLoopback_Refused(string given)
    {
        await Assert.That(() => GooglePhotosApiOptions.NormalizeBaseUrl(given)).Throws<ConfigurationException>();
    }
}
