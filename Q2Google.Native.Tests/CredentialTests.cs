using System.Net;
using System.Text.Json;
using Q2Google.Api;
using Q2Google.Auth;
using Q2Google.Emulator;
using Q2Google.IO;
using Q2Google.Tests.Infrastructure;

namespace Q2Google.Tests;

public class CredentialTests
{
    [Test]
    public async Task ExpiredTokenFile_RefreshedOnce_WrittenBackAtomically0600_RefreshTokenKept()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var token = harness.Emulator.CreateAuthorizedUser() with { Expiry = DateTimeOffset.UtcNow.AddMinutes(-1) };
        var path = harness.Dir.Combine("config", "token.json");
        var store = new FileTokenStore(path);
        await store.SaveAsync(token);
        var api = harness.CreateApi(store);

        await api.InitUploadSessionAsync("image/jpeg", 1, "a.jpg");
        await api.InitUploadSessionAsync("image/jpeg", 1, "b.jpg");

        var saved = (await store.LoadAsync())!;
        await Assert.That(harness.Emulator.Requests.Count(r => r.Path == "/token")).IsEqualTo(1);
        await Assert.That(saved.Token).IsNotEqualTo(token.Token);
        await Assert.That(saved.RefreshToken).IsEqualTo(token.RefreshToken);
        await Assert.That(saved.Expiry!.Value).IsGreaterThan(DateTimeOffset.UtcNow.AddMinutes(50));
        await Assert.That(File.GetUnixFileMode(path)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await Assert.That(File.GetUnixFileMode(Path.GetDirectoryName(path)!)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!).Length).IsEqualTo(1);
    }

    [Test]
    public async Task AccessTokenRejected401_RefreshesOnceAndRetries()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        harness.Emulator.AddFault(new EmulatorFault(FaultTarget.UploadStart, FaultKind.ExpiredAccessToken));
        var api = harness.CreateApi();

        var session = await api.InitUploadSessionAsync("image/jpeg", 1, "a.jpg");

        await Assert.That(session.Status).IsEqualTo(UploadStatus.Active);
        await Assert.That(harness.Emulator.Requests.Select(r => (r.Path, r.Status)).ToArray())
            .IsEquivalentTo(new[] { ("/v1/uploads", 401), ("/token", 200), ("/v1/uploads", 200) });
    }

    [Test]
    public async Task SecondConsecutive401_IsReported_NotLooped()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        harness.Emulator.AddFault(new EmulatorFault(FaultTarget.UploadStart, FaultKind.ExpiredAccessToken) { Count = 5 });
        var api = harness.CreateApi();

        var error = await Assert.That(() => api.InitUploadSessionAsync("image/jpeg", 1, "a.jpg")).Throws<GooglePhotosApiException>();

        await Assert.That(error!.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(harness.Emulator.Requests.Count(r => r.Path == "/token")).IsEqualTo(1);
    }

    [Test]
    public async Task RevokedRefreshToken_AuthenticationRequired_TokenFileUntouched()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var path = harness.Dir.Combine("token.json");
        var store = new FileTokenStore(path);
        await store.SaveAsync(harness.Emulator.CreateAuthorizedUser() with { Expiry = DateTimeOffset.UtcNow.AddHours(-2), LoginTime = DateTimeOffset.UtcNow.AddDays(-7) });
        var before = await File.ReadAllBytesAsync(path);
        harness.Emulator.RevokeAllGrants();
        var api = harness.CreateApi(store);

        var error = await Assert.That(() => api.InitUploadSessionAsync("image/jpeg", 1, "a.jpg")).Throws<AuthenticationRequiredException>();

        await Assert.That(error!.Message).Contains("invalid_grant");
        await Assert.That(error.Message).Contains("Testing");
        await Assert.That(await File.ReadAllBytesAsync(path)).IsEquivalentTo(before);
        var secret = JsonSerializer.Deserialize(before, TokenJsonContext.Default.AuthorizedUserToken)!;
        await Assert.That(error.ToString()).DoesNotContain(secret.RefreshToken!);
        await Assert.That(error.ToString()).DoesNotContain(secret.Token!);
    }

    [Test]
    public async Task AtomicWrite_CrashBeforeRename_LeavesOldFileIntactAndNoTempFile()
    {
        using var dir = new TempDir();
        var path = dir.Combine("token.json");
        var store = new FileTokenStore(path);
        await store.SaveAsync(new AuthorizedUserToken { Token = "old", RefreshToken = "r", ClientId = "c", ClientSecret = "s" });
        AtomicFile.BeforeRenameHook = _ => throw new IOException("simulated crash");
        try
        {
            await Assert.That(() => store.SaveAsync(new AuthorizedUserToken { Token = "new", RefreshToken = "r", ClientId = "c", ClientSecret = "s" }))
                .Throws<IOException>();
        }
        finally
        {
            AtomicFile.BeforeRenameHook = null;
        }

        await Assert.That((await store.LoadAsync())!.Token).IsEqualTo("old");
        await Assert.That(Directory.GetFiles(dir.Path).Length).IsEqualTo(1);
    }

    [Test]
    public async Task ExpiresInAsString_IsAccepted()
    {
        await using var harness = await EmulatorHarness.StartAsync(new EmulatorOptions { ExpiresInAsString = true });
        var store = new InMemoryTokenStore(harness.Emulator.CreateAuthorizedUser() with { Token = null }, "memory");
        var api = harness.CreateApi(store);

        await api.InitUploadSessionAsync("image/jpeg", 1, "a.jpg");

        await Assert.That((await store.LoadAsync())!.Expiry!.Value).IsGreaterThan(DateTimeOffset.UtcNow.AddMinutes(50));
    }
}
