using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Q2Google.Api;
using Q2Google.Tests.Infrastructure;

namespace Q2Google.Tests;

/// <summary>
/// What checking the emulator against rclone 1.60 (docs/emulator-vs-rclone.md) turned up, each pinned down as
/// the request rclone really sends and the answer Google gives it.
/// </summary>
public class EmulatorRcloneFindingsTests
{
    [Test]
    public async Task RcloneUpload_ChunkedRawUploadThenBatchCreateWithEmptyDescription_ItemHasNoDescription()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var token = harness.Emulator.CreateAuthorizedUser().Token!;
        var album = await harness.CreateApi().CreateAlbumAsync("X");
        var bytes = await File.ReadAllBytesAsync(harness.Dir.File("IMG_0001.jpg", 3000));
        using var http = new HttpClient();

        // Exactly rclone's headers: a chunked body, a file name, no content type of any kind.
        using var upload = new HttpRequestMessage(HttpMethod.Post, new Uri(harness.Emulator.ApiUrl, "uploads"))
        {
            Content = new StreamContent(new ForwardOnlyStream(bytes, 1000)),
        };
        upload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        upload.Headers.TryAddWithoutValidation("X-Goog-Upload-File-Name", "IMG_0001.jpg");
        upload.Headers.TryAddWithoutValidation("X-Goog-Upload-Protocol", "raw");
        using var uploaded = await http.SendAsync(upload);
        var uploadToken = (await uploaded.Content.ReadAsStringAsync()).Trim();
        using var create = new HttpRequestMessage(HttpMethod.Post, new Uri(harness.Emulator.ApiUrl.AbsoluteUri + "mediaItems:batchCreate"))
        {
            Content = new StringContent($$$"""{"albumId":"{{{album.Id}}}","newMediaItems":[{"description":"","simpleMediaItem":{"uploadToken":"{{{uploadToken}}}"}}]}""",
                Encoding.UTF8, "application/json"),
        };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var created = await http.SendAsync(create);
        var item = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement
            .GetProperty("newMediaItemResults")[0].GetProperty("mediaItem");

        await Assert.That(uploaded.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(created.StatusCode).IsEqualTo(HttpStatusCode.OK);
        // proto3 JSON leaves empty strings out: Google never echoes "description":"".
        await Assert.That(item.TryGetProperty("description", out _)).IsFalse();
        await Assert.That(item.GetProperty("mimeType").GetString()).IsEqualTo("image/jpeg");
        await Assert.That(item.GetProperty("filename").GetString()).IsEqualTo("IMG_0001.jpg");
        var listed = await harness.CreateApi().SearchMediaItemsAsync(new SearchMediaItemsRequest { AlbumId = album.Id });
        await Assert.That(listed.MediaItems![0].Description).IsNull();
    }

    [Test]
    public async Task Ids_AreAsLongAsRclonesPatternForGoogleIdsRequires()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var client = harness.CreateClient();
        var album = await harness.CreateApi().CreateAlbumAsync("X");
        var created = await client.CreateMediaItemsFromUploadSessionsAsync(["a.jpg"],
            [await client.UploadFilePathAsync("a.jpg", harness.Dir.File("a.jpg", 100))]);

        // rclone finds an id in a file name "name {ID}.jpg" with this pattern, written against the real service.
        var googleId = new Regex("^[A-Za-z0-9_-]{55,}$");
        await Assert.That(googleId.IsMatch(album.Id!)).IsTrue();
        await Assert.That(googleId.IsMatch(created[0].NewMediaItemResults![0].MediaItem!.Id!)).IsTrue();
    }

    [Test]
    public async Task OpenIdDiscovery_PointsAtTheEmulator_AndUserInfoAnswersWithTheAccount()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var emulator = harness.Emulator;
        using var http = new HttpClient();
        async Task<(HttpStatusCode Status, JsonElement Json)> UserInfoAsync(Uri url, string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        }

        var discovery = JsonDocument.Parse(await http.GetStringAsync(new Uri(emulator.BaseUrl, ".well-known/openid-configuration"))).RootElement;
        var userInfoUrl = new Uri(discovery.GetProperty("userinfo_endpoint").GetString()!);
        var identity = emulator.CreateAuthorizedUser(["openid", "email"]);
        var (status, info) = await UserInfoAsync(userInfoUrl, identity.Token!);
        var (oidcStatus, _) = await UserInfoAsync(new Uri(emulator.BaseUrl, "v1/userinfo"), identity.Token!);
        var (photosOnlyStatus, photosOnly) = await UserInfoAsync(userInfoUrl, emulator.CreateAuthorizedUser().Token!);

        await Assert.That(discovery.GetProperty("issuer").GetString()).IsEqualTo("https://accounts.google.com");
        await Assert.That(discovery.GetProperty("revocation_endpoint").GetString()).IsEqualTo(new Uri(emulator.BaseUrl, "revoke").AbsoluteUri);
        await Assert.That(discovery.GetProperty("jwks_uri").GetString()).IsEqualTo(emulator.CertsUri.AbsoluteUri);
        await Assert.That(userInfoUrl.Authority).IsEqualTo(emulator.BaseUrl.Authority);
        await Assert.That(status).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(info.GetProperty("sub").GetString()).IsEqualTo(Emulator.EmulatorOptions.DefaultAccountSub);
        await Assert.That(info.GetProperty("email").GetString()).IsEqualTo(Emulator.EmulatorOptions.DefaultAccountEmail);
        // A JSON boolean here, unlike tokeninfo's string.
        await Assert.That(info.GetProperty("email_verified").ValueKind).IsEqualTo(JsonValueKind.True);
        await Assert.That(oidcStatus).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(photosOnlyStatus).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(photosOnly.TryGetProperty("sub", out _)).IsFalse();
        await Assert.That(emulator.RequestsToday).IsEqualTo(0);
    }

    [Test]
    public async Task TokenEndpoint_AcceptsClientSecretBasic_AsGooglesDiscoveryDocumentSays()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var user = harness.Emulator.CreateAuthorizedUser();
        var client = harness.Emulator.Client;
        using var http = new HttpClient();
        async Task<HttpStatusCode> RefreshAsync(string secret)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, harness.Emulator.TokenUri)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = user.RefreshToken! }),
            };
            // RFC 6749 2.3.1: each part form-encoded, then joined and base64-encoded.
            var pair = $"{Uri.EscapeDataString(client.ClientId)}:{Uri.EscapeDataString(secret)}";
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        await Assert.That(await RefreshAsync(client.ClientSecret)).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await RefreshAsync("GOCSPX-wrong")).IsEqualTo(HttpStatusCode.Unauthorized);
    }
}
