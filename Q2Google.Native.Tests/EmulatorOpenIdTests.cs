using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Q2Google.Api;
using Q2Google.Auth;
using Q2Google.Emulator;
using Q2Google.Tests.Infrastructure;

namespace Q2Google.Tests;

/// <summary>
/// The emulator as Google's OpenID Connect side: id_tokens on the code exchange and on refresh, the granted
/// scopes in Google's long spelling, tokeninfo, and accounts that keep their libraries apart.
/// </summary>
public class EmulatorOpenIdTests
{
    private const string Identity = "openid email";
    private const string UserInfoEmail = "https://www.googleapis.com/auth/userinfo.email";

    /// <summary>The browser and token-endpoint half of a login, spoken on the wire without our client in between.</summary>
    private sealed class Flow(PhotosEmulator emulator) : IDisposable
    {
        // Loopback, as a desktop client must use; nothing listens there, the test reads the redirect itself.
        private const string RedirectUri = "http://127.0.0.1:9/";

        public HttpClient Http { get; } = new(new SocketsHttpHandler { AllowAutoRedirect = false });

        /// <summary>Where the consent page sends the browser back to.</summary>
        public async Task<Uri> ConsentAsync(string scope, string? loginHint = null)
        {
            var query = $"client_id={Uri.EscapeDataString(emulator.Client.ClientId)}&redirect_uri={Uri.EscapeDataString(RedirectUri)}" +
                        $"&response_type=code&scope={Uri.EscapeDataString(scope)}&state=xyz&access_type=offline" +
                        (loginHint is null ? "" : "&login_hint=" + Uri.EscapeDataString(loginHint));
            using var response = await Http.GetAsync(new Uri(emulator.AuthorizationUri.AbsoluteUri + "?" + query));
            return response.Headers.Location ?? throw new InvalidOperationException($"consent page answered {(int)response.StatusCode}");
        }

        /// <summary>Consent, then the code exchange: the token endpoint's JSON answer.</summary>
        public async Task<JsonElement> LoginAsync(string scope, string? loginHint = null)
        {
            var redirect = await ConsentAsync(scope, loginHint);
            var code = Query(redirect, "code");
            var (status, json) = await PostFormAsync(emulator.TokenUri, new()
            {
                ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = RedirectUri,
                ["client_id"] = emulator.Client.ClientId, ["client_secret"] = emulator.Client.ClientSecret,
            });
            if (status != HttpStatusCode.OK) throw new InvalidOperationException($"code exchange answered {(int)status}: {json}");
            return json;
        }

        public async Task<JsonElement> RefreshAsync(string refreshToken)
        {
            var (status, json) = await PostFormAsync(emulator.TokenUri, new()
            {
                ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken,
                ["client_id"] = emulator.Client.ClientId, ["client_secret"] = emulator.Client.ClientSecret,
            });
            if (status != HttpStatusCode.OK) throw new InvalidOperationException($"refresh answered {(int)status}: {json}");
            return json;
        }

        public async Task<(HttpStatusCode Status, JsonElement Json)> TokenInfoAsync(string field, string token)
        {
            using var response = await Http.GetAsync(new Uri($"{emulator.TokenInfoUri.AbsoluteUri}?{field}={Uri.EscapeDataString(token)}"));
            return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        }

        public async Task<(HttpStatusCode Status, JsonElement Json)> PostFormAsync(Uri url, Dictionary<string, string> form)
        {
            using var response = await Http.PostAsync(url, new FormUrlEncodedContent(form));
            return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        }

        public static string Query(Uri uri, string name) =>
            Q2Google.Http.HttpRequestHead.ParseQuery(uri.Query.TrimStart('?')).First(p => p.Key == name).Value;

        /// <summary>The token as a q2google login would keep it, for the API client.</summary>
        public AuthorizedUserToken Stored(JsonElement answer) => new()
        {
            Token = answer.GetProperty("access_token").GetString(),
            RefreshToken = answer.GetProperty("refresh_token").GetString(),
            TokenUri = emulator.TokenUri.AbsoluteUri,
            ClientId = emulator.Client.ClientId,
            ClientSecret = emulator.Client.ClientSecret,
            Scopes = answer.GetProperty("scope").GetString()!.Split(' '),
            Expiry = DateTimeOffset.UtcNow.AddSeconds(answer.GetProperty("expires_in").GetInt64()),
        };

        public void Dispose() => Http.Dispose();
    }

    private static JsonElement Part(string jwt, int index) =>
        JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[index])).RootElement.Clone();

    /// <summary>Checks the RS256 signature against the key the emulator publishes, as a relying party would.</summary>
    private static async Task<bool> SignatureVerifiesAsync(Flow flow, PhotosEmulator emulator, string jwt)
    {
        var jwks = JsonDocument.Parse(await flow.Http.GetStringAsync(emulator.CertsUri)).RootElement;
        var kid = Part(jwt, 0).GetProperty("kid").GetString();
        var jwk = jwks.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("kid").GetString() == kid);
        using var rsa = RSA.Create(new RSAParameters
        {
            Modulus = Base64Url.DecodeFromChars(jwk.GetProperty("n").GetString()),
            Exponent = Base64Url.DecodeFromChars(jwk.GetProperty("e").GetString()),
        });
        var parts = jwt.Split('.');
        return rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]),
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    [Test]
    public async Task CodeExchange_OpenIdAndEmail_ReturnsSignedIdTokenOfTheAccount()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { AccountSub = "109876543210987654321", AccountEmail = "dana@example.net" });
        var emulator = harness.Emulator;
        using var flow = new Flow(emulator);

        var answer = await flow.LoginAsync($"{PhotosScopes.AppendOnly} {Identity}");

        var idToken = answer.GetProperty("id_token").GetString()!;
        var header = Part(idToken, 0);
        var claims = Part(idToken, 1);
        await Assert.That(header.GetProperty("alg").GetString()).IsEqualTo("RS256");
        await Assert.That(header.GetProperty("typ").GetString()).IsEqualTo("JWT");
        await Assert.That(header.GetProperty("kid").GetString()).IsNotNull();
        await Assert.That(await SignatureVerifiesAsync(flow, emulator, idToken)).IsTrue();
        await Assert.That(claims.GetProperty("iss").GetString()).IsEqualTo("https://accounts.google.com");
        await Assert.That(claims.GetProperty("sub").GetString()).IsEqualTo("109876543210987654321");
        await Assert.That(claims.GetProperty("email").GetString()).IsEqualTo("dana@example.net");
        await Assert.That(claims.GetProperty("email_verified").GetBoolean()).IsTrue();
        await Assert.That(claims.GetProperty("aud").GetString()).IsEqualTo(emulator.Client.ClientId);
        await Assert.That(claims.GetProperty("azp").GetString()).IsEqualTo(emulator.Client.ClientId);
        var issuedAt = claims.GetProperty("iat").GetInt64();
        await Assert.That(claims.GetProperty("exp").GetInt64()).IsEqualTo(issuedAt + 3600);
        await Assert.That(Math.Abs(issuedAt - DateTimeOffset.UtcNow.ToUnixTimeSeconds())).IsLessThan(60);
        // Nothing tampered verifies.
        var forged = idToken[..idToken.LastIndexOf('.')] + "." + Base64Url.EncodeToString(new byte[256]);
        await Assert.That(await SignatureVerifiesAsync(flow, emulator, forged)).IsFalse();
    }

    [Test]
    public async Task Refresh_OfAnIdentityGrant_ReturnsAnIdTokenToo()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        using var flow = new Flow(harness.Emulator);
        var login = await flow.LoginAsync($"{PhotosScopes.AppendOnly} openid");

        var refreshed = await flow.RefreshAsync(login.GetProperty("refresh_token").GetString()!);

        var idToken = refreshed.GetProperty("id_token").GetString()!;
        await Assert.That(await SignatureVerifiesAsync(flow, harness.Emulator, idToken)).IsTrue();
        await Assert.That(Part(idToken, 1).GetProperty("sub").GetString()).IsEqualTo(EmulatorOptions.DefaultAccountSub);
        // openid alone: who, but not the address.
        await Assert.That(Part(idToken, 1).TryGetProperty("email", out _)).IsFalse();
        await Assert.That(refreshed.TryGetProperty("refresh_token", out _)).IsFalse();
    }

    [Test]
    public async Task PhotosOnlyGrant_GetsNoIdToken_OnExchangeOrRefresh()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        using var flow = new Flow(harness.Emulator);

        var login = await flow.LoginAsync(string.Join(' ', PhotosScopes.Default));
        var refreshed = await flow.RefreshAsync(login.GetProperty("refresh_token").GetString()!);

        await Assert.That(login.TryGetProperty("id_token", out _)).IsFalse();
        await Assert.That(refreshed.TryGetProperty("id_token", out _)).IsFalse();
    }

    [Test]
    public async Task GrantedScope_ReportsEmailAndProfileInGooglesLongForm()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        using var flow = new Flow(harness.Emulator);

        var redirect = await flow.ConsentAsync($"{PhotosScopes.AppendOnly} openid email profile");
        var answer = await flow.LoginAsync($"{PhotosScopes.AppendOnly} openid email profile");

        var expected = new[] { PhotosScopes.AppendOnly, "openid", UserInfoEmail, "https://www.googleapis.com/auth/userinfo.profile" };
        await Assert.That(Flow.Query(redirect, "scope").Split(' ')).IsEquivalentTo(expected);
        await Assert.That(answer.GetProperty("scope").GetString()!.Split(' ')).IsEquivalentTo(expected);
        // The long forms are accepted on the way in as well, and the profile scope alone is enough for an id_token.
        var longForm = await flow.LoginAsync($"{UserInfoEmail} https://www.googleapis.com/auth/userinfo.profile");
        await Assert.That(longForm.TryGetProperty("id_token", out _)).IsTrue();
    }

    [Test]
    public async Task CreateAuthorizedUser_WithIdentityScopes_StoresTheAccountAsALoginWould()
    {
        await using var harness = await EmulatorHarness.StartAsync();

        var photosOnly = harness.Emulator.CreateAuthorizedUser();
        var withIdentity = harness.Emulator.CreateAuthorizedUser([.. PhotosScopes.Default, "openid", "email"]);
        var alice = harness.Emulator.CreateAuthorizedUser(["openid", "email"], user: "alice");

        await Assert.That(photosOnly.AccountSub).IsNull();
        await Assert.That(photosOnly.AccountEmail).IsNull();
        await Assert.That(withIdentity.AccountSub).IsEqualTo(EmulatorOptions.DefaultAccountSub);
        await Assert.That(withIdentity.AccountEmail).IsEqualTo(EmulatorOptions.DefaultAccountEmail);
        await Assert.That(withIdentity.Scopes!.ToArray()).IsEquivalentTo([.. PhotosScopes.Default, "openid", UserInfoEmail]);
        await Assert.That(alice.AccountSub).IsEqualTo("alice");
        await Assert.That(alice.AccountEmail).IsEqualTo("alice@example.com");
    }

    [Test]
    public async Task TokenInfo_ValidAccessToken_AnswersLikeGoogle_WithoutCountingQuota()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        using var flow = new Flow(harness.Emulator);
        var token = harness.Emulator.CreateAuthorizedUser([PhotosScopes.AppendOnly, "openid", "email"]);

        var (status, info) = await flow.TokenInfoAsync("access_token", token.Token!);
        var (postStatus, posted) = await flow.PostFormAsync(harness.Emulator.TokenInfoUri, new() { ["access_token"] = token.Token! });

        await Assert.That(status).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(info.GetProperty("aud").GetString()).IsEqualTo(harness.Emulator.Client.ClientId);
        await Assert.That(info.GetProperty("azp").GetString()).IsEqualTo(harness.Emulator.Client.ClientId);
        await Assert.That(info.GetProperty("sub").GetString()).IsEqualTo(EmulatorOptions.DefaultAccountSub);
        await Assert.That(info.GetProperty("email").GetString()).IsEqualTo(EmulatorOptions.DefaultAccountEmail);
        await Assert.That(info.GetProperty("email_verified").GetString()).IsEqualTo("true");
        await Assert.That(info.GetProperty("access_type").GetString()).IsEqualTo("offline");
        await Assert.That(info.GetProperty("scope").GetString()!.Split(' ')).IsEquivalentTo([PhotosScopes.AppendOnly, "openid", UserInfoEmail]);
        // Numbers arrive as strings, as Google sends them.
        await Assert.That(long.Parse(info.GetProperty("exp").GetString()!, System.Globalization.CultureInfo.InvariantCulture))
            .IsEqualTo(token.Expiry!.Value.ToUnixTimeSeconds());
        await Assert.That(int.Parse(info.GetProperty("expires_in").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).IsBetween(3500, 3599);
        await Assert.That(postStatus).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(posted.GetProperty("sub").GetString()).IsEqualTo(EmulatorOptions.DefaultAccountSub);
        await Assert.That(harness.Emulator.RequestsToday).IsEqualTo(0);
    }

    [Test]
    public async Task TokenInfo_PhotosOnlyToken_HasNoSubOrEmail_UnlessTheOptionSaysGoogleAddsTheSub()
    {
        await using var strict = await EmulatorHarness.StartAsync();
        await using var lenient = await EmulatorHarness.StartAsync(new EmulatorOptions { TokenInfoSubWithoutIdentityScopes = true });
        using var strictFlow = new Flow(strict.Emulator);
        using var lenientFlow = new Flow(lenient.Emulator);

        var (_, without) = await strictFlow.TokenInfoAsync("access_token", strict.Emulator.CreateAuthorizedUser().Token!);
        var (_, with) = await lenientFlow.TokenInfoAsync("access_token", lenient.Emulator.CreateAuthorizedUser().Token!);

        await Assert.That(without.TryGetProperty("sub", out _)).IsFalse();
        await Assert.That(without.TryGetProperty("email", out _)).IsFalse();
        await Assert.That(without.GetProperty("scope").GetString()!.Split(' ')).IsEquivalentTo(PhotosScopes.Default.ToArray());
        await Assert.That(with.GetProperty("sub").GetString()).IsEqualTo(EmulatorOptions.DefaultAccountSub);
        await Assert.That(with.TryGetProperty("email", out _)).IsFalse();
    }

    [Test]
    public async Task TokenInfo_UnknownRevokedOrExpiredToken_400InvalidValue()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { Time = clock });
        using var flow = new Flow(harness.Emulator);
        var revoked = harness.Emulator.CreateAuthorizedUser([PhotosScopes.AppendOnly, "openid"]);
        var expiring = harness.Emulator.CreateAuthorizedUser([PhotosScopes.AppendOnly, "openid"]);
        var (revokeStatus, _) = await flow.PostFormAsync(new Uri(harness.Emulator.BaseUrl, "revoke"), new() { ["token"] = revoked.RefreshToken! });
        clock.Advance(TimeSpan.FromSeconds(3600));

        var answers = new[]
        {
            await flow.TokenInfoAsync("access_token", "ya29.not-a-token"),
            await flow.TokenInfoAsync("access_token", revoked.Token!),
            await flow.TokenInfoAsync("access_token", expiring.Token!),
        };

        await Assert.That(revokeStatus).IsEqualTo(HttpStatusCode.OK);
        foreach (var (status, json) in answers)
        {
            await Assert.That(status).IsEqualTo(HttpStatusCode.BadRequest);
            await Assert.That(json.GetRawText()).IsEqualTo("""{"error":"invalid_token","error_description":"Invalid Value"}""");
        }
    }

    [Test]
    public async Task TokenInfo_IdToken_ClaimsAsStringsWhileValid_400WhenForgedOrExpired()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { Time = clock });
        using var flow = new Flow(harness.Emulator);
        var idToken = (await flow.LoginAsync($"{PhotosScopes.AppendOnly} {Identity}")).GetProperty("id_token").GetString()!;
        var claims = Part(idToken, 1);
        var forgedClaims = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.GetRawText().Replace(EmulatorOptions.DefaultAccountSub, "100000000000000000002", StringComparison.Ordinal)));
        var parts = idToken.Split('.');

        var (status, info) = await flow.TokenInfoAsync("id_token", idToken);
        var (forgedStatus, _) = await flow.TokenInfoAsync("id_token", $"{parts[0]}.{forgedClaims}.{parts[2]}");
        var (garbageStatus, _) = await flow.TokenInfoAsync("id_token", "not.a.jwt");
        clock.Advance(TimeSpan.FromSeconds(3601));
        var (expiredStatus, expired) = await flow.TokenInfoAsync("id_token", idToken);

        await Assert.That(status).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(info.GetProperty("sub").GetString()).IsEqualTo(EmulatorOptions.DefaultAccountSub);
        await Assert.That(info.GetProperty("aud").GetString()).IsEqualTo(harness.Emulator.Client.ClientId);
        await Assert.That(info.GetProperty("email_verified").GetString()).IsEqualTo("true");
        await Assert.That(info.GetProperty("exp").GetString()).IsEqualTo(claims.GetProperty("exp").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assert.That(info.GetProperty("alg").GetString()).IsEqualTo("RS256");
        await Assert.That(forgedStatus).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(garbageStatus).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(expiredStatus).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(expired.GetProperty("error").GetString()).IsEqualTo("invalid_token");
    }

    [Test]
    public async Task LoginHint_TwoAccountsOnOneEmulator_EachSeesOnlyItsOwnMediaItems()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        using var flow = new Flow(harness.Emulator);
        var scope = $"{string.Join(' ', PhotosScopes.Default)} {Identity}";
        var aliceLogin = await flow.LoginAsync(scope, loginHint: "alice@example.org");
        var bobLogin = await flow.LoginAsync(scope, loginHint: "bob@example.org");
        var alice = harness.CreateApi(new InMemoryTokenStore(flow.Stored(aliceLogin), "alice"));
        var bob = harness.CreateApi(new InMemoryTokenStore(flow.Stored(bobLogin), "bob"));

        var (aliceClient, bobClient) = (harness.CreateClient(alice), harness.CreateClient(bob));
        var aliceItems = await aliceClient.CreateMediaItemsFromUploadSessionsAsync(["a.jpg"],
            [await aliceClient.UploadFilePathAsync("a.jpg", harness.Dir.File("a.jpg", 300, seed: 1))]);
        var bobItems = await bobClient.CreateMediaItemsFromUploadSessionsAsync(["b.jpg"],
            [await bobClient.UploadFilePathAsync("b.jpg", harness.Dir.File("b.jpg", 300, seed: 2))]);

        var aliceSub = Part(aliceLogin.GetProperty("id_token").GetString()!, 1).GetProperty("sub").GetString();
        var bobSub = Part(bobLogin.GetProperty("id_token").GetString()!, 1).GetProperty("sub").GetString();
        await Assert.That(aliceSub).IsEqualTo(EmulatedAccount.SubFor("alice@example.org"));
        await Assert.That(aliceSub!.Length).IsEqualTo(21);
        await Assert.That(bobSub).IsNotEqualTo(aliceSub);
        var aliceId = aliceItems[0].NewMediaItemResults![0].MediaItem!.Id;
        var bobId = bobItems[0].NewMediaItemResults![0].MediaItem!.Id;
        await Assert.That((await alice.ListMediaItemsAsync()).MediaItems!.Select(m => m.Id).ToArray()).IsEquivalentTo([aliceId]);
        await Assert.That((await bob.ListMediaItemsAsync()).MediaItems!.Select(m => m.Id).ToArray()).IsEquivalentTo([bobId]);
        await Assert.That(() => alice.GetMediaItemAsync(bobId)).Throws<GooglePhotosApiException>();
        await Assert.That(harness.Emulator.MediaItems.Single(m => m.Id == aliceId).User).IsEqualTo(aliceSub);
        // Naming the options' own address picks the options' account, not a derived one.
        var own = await flow.LoginAsync("openid", loginHint: EmulatorOptions.DefaultAccountEmail);
        await Assert.That(Part(own.GetProperty("id_token").GetString()!, 1).GetProperty("sub").GetString()).IsEqualTo(EmulatorOptions.DefaultAccountSub);
    }

    [Test]
    public async Task EmulatorCommand_AccountOptions_WriteATokenOfThatAccount()
    {
        using var dir = new TempDir();
        var home = dir.Combine("home");
        Directory.CreateDirectory(home);
        var data = dir.Combine("emu");
        using var emulator = new CliProcess(home,
            ["emulator", "--port", "0", "--data-dir", data, "--account-email", "carol@example.org", "--account-sub", "123456789012345678901"],
            new Dictionary<string, string?>());

        var line = await emulator.WaitForStderrLineAsync(l => l.Contains("listening on", StringComparison.Ordinal));
        var url = new Uri(line[(line.IndexOf("http", StringComparison.Ordinal))..].Trim());
        var token = await new FileTokenStore(Path.Combine(data, "token.json")).LoadAsync();
        using var http = new HttpClient();
        using var info = await http.GetAsync(new Uri(url, "tokeninfo?access_token=" + Uri.EscapeDataString(token!.Token!)));
        var json = JsonDocument.Parse(await info.Content.ReadAsStringAsync()).RootElement;

        await Assert.That(info.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(json.GetProperty("sub").GetString()).IsEqualTo("123456789012345678901");
        await Assert.That(json.GetProperty("email").GetString()).IsEqualTo("carol@example.org");
        await Assert.That(token.AccountSub).IsEqualTo("123456789012345678901");
        await Assert.That(token.AccountEmail).IsEqualTo("carol@example.org");
    }
}
