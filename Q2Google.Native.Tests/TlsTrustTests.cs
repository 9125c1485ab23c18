using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Q2Google.Auth;
using Q2Google.Emulator;
using Q2Google.Tests.Infrastructure;

namespace Q2Google.Tests;

/// <summary>
/// HTTPS as a NAS or a container meets it: the real executable against the emulator serving TLS with a
/// certificate from a throwaway CA, trusted through <c>--ca-bundle</c> or <c>SSL_CERT_FILE</c>, or not at all.
/// The machine's own trust store is switched off in every run (this machine exports SSL_CERT_FILE and
/// SSL_CERT_DIR), so each outcome depends only on what the test gives.
/// </summary>
public class TlsTrustTests
{
    private sealed class TlsEmulator : IAsyncDisposable
    {
        public required PhotosEmulator Emulator { get; init; }
        public required TempDir Dir { get; init; }
        public string Home => Dir.Combine("home");
        public string CaPem => Dir.Combine("ca.pem");
        public string OtherCaPem => Dir.Combine("other-ca.pem");
        public string TokenPath => Dir.Combine("token.json");

        public Task<CliResult> RunAsync(string[] args, IDictionary<string, string?>? environment = null)
        {
            var env = new Dictionary<string, string?>
            {
                ["Q2GOOGLE_API_URL"] = Emulator.BaseUrl.AbsoluteUri,
                ["Q2GOOGLE_TOKEN_FILE"] = TokenPath,
                ["SSL_CERT_FILE"] = Dir.Combine("no-such-bundle.pem"),
                // An empty directory: a set SSL_CERT_DIR also stops .NET falling back to /etc/ssl/certs.
                ["SSL_CERT_DIR"] = Dir.Combine("empty-cert-dir"),
            };
            if (environment is not null)
            {
                foreach (var (key, value) in environment) env[key] = value;
            }

            return CliRunner.RunAsync(Home, args, env);
        }

        public async ValueTask DisposeAsync()
        {
            await Emulator.DisposeAsync();
            Dir.Dispose();
        }
    }

    private static async Task<TlsEmulator> StartAsync()
    {
        var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("home"));
        Directory.CreateDirectory(dir.Combine("empty-cert-dir"));
        using var ca = CreateCa("q2google test CA");
        using var other = CreateCa("some other CA");
        await File.WriteAllTextAsync(dir.Combine("ca.pem"), ca.ExportCertificatePem());
        await File.WriteAllTextAsync(dir.Combine("other-ca.pem"), other.ExportCertificatePem());
        var emulator = await PhotosEmulator.StartAsync(new EmulatorOptions(), CreateServerCertificate(ca, "localhost"), "localhost");
        var tls = new TlsEmulator { Emulator = emulator, Dir = dir };
        await new FileTokenStore(tls.TokenPath).SaveAsync(emulator.CreateAuthorizedUser(TestAccount.LoginScopes()));
        return tls;
    }

    private static X509Certificate2 CreateCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 CreateServerCertificate(X509Certificate2 ca, string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), [1, 2, 3, 4, 5, 6, 7, 8]);
        return issued.CopyWithPrivateKey(key);
    }

    [Test]
    public async Task Upload_OverHttps_CaBundleTrustsTheEmulatorsCa_BytesArrive_Exit0()
    {
        await using var tls = await StartAsync();
        var photo = tls.Dir.File("home/IMG_0001.jpg", 400_000);

        var result = await tls.RunAsync(["upload", "--json", "--ca-bundle", tls.CaPem, "IMG_0001.jpg"]);

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(tls.Emulator.MediaItems.Single().Sha256).IsEqualTo(TempDir.Sha256(photo));
        await Assert.That(result.Stdout).Contains("\"productUrl\":\"https://localhost:");
    }

    [Test]
    public async Task Upload_OverHttps_CaBundleFromEnvironment_Exit0()
    {
        await using var tls = await StartAsync();
        var photo = tls.Dir.File("home/IMG_0002.jpg", 3000);

        var result = await tls.RunAsync(["upload", "IMG_0002.jpg"], new Dictionary<string, string?> { ["Q2GOOGLE_CA_BUNDLE"] = tls.CaPem });

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(tls.Emulator.MediaItems.Single().Sha256).IsEqualTo(TempDir.Sha256(photo));
    }

    [Test]
    public async Task Upload_OverHttps_SslCertFileTrustsTheEmulatorsCa_Exit0()
    {
        await using var tls = await StartAsync();
        var photo = tls.Dir.File("home/IMG_0003.jpg", 3000);

        var result = await tls.RunAsync(["upload", "IMG_0003.jpg"], new Dictionary<string, string?> { ["SSL_CERT_FILE"] = tls.CaPem });

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(tls.Emulator.MediaItems.Single().Sha256).IsEqualTo(TempDir.Sha256(photo));
    }

    [Test]
    public async Task Upload_OverHttps_UntrustedCertificate_Exit1_OneClearLine_NothingSent()
    {
        await using var tls = await StartAsync();
        tls.Dir.File("home/IMG_0004.jpg", 3000);

        var result = await tls.RunAsync(["upload", "--json", "IMG_0004.jpg"]);

        await Assert.That(result.ExitCode).IsEqualTo(1).Because(result.ToString());
        await Assert.That(result.Stderr.Trim().Split('\n').Length).IsEqualTo(1).Because(result.ToString());
        await Assert.That(result.Stderr).Contains("TLS: cannot verify localhost's certificate (");
        await Assert.That(result.Stderr).Contains("use --ca-bundle FILE or SSL_CERT_FILE");
        // Refused at the handshake, so no request ever reached the emulator: nothing was retried or half-sent.
        await Assert.That(tls.Emulator.RequestsToday).IsEqualTo(0);
        await Assert.That(tls.Emulator.MediaItems.Count).IsEqualTo(0);
    }

    [Test]
    public async Task Upload_OverHttps_CaBundleIsTheOnlyTrust_EvenWhenSslCertFileWouldTrust_Exit1()
    {
        await using var tls = await StartAsync();
        tls.Dir.File("home/IMG_0005.jpg", 3000);

        var result = await tls.RunAsync(["upload", "--ca-bundle", tls.OtherCaPem, "IMG_0005.jpg"],
            new Dictionary<string, string?> { ["SSL_CERT_FILE"] = tls.CaPem });

        await Assert.That(result.ExitCode).IsEqualTo(1).Because(result.ToString());
        await Assert.That(result.Stderr).Contains($"only the certificates in --ca-bundle {tls.OtherCaPem} are trusted");
        await Assert.That(tls.Emulator.MediaItems.Count).IsEqualTo(0);
    }

    [Test]
    [Arguments("missing.pem", "cannot read it")]
    [Arguments("token.json", "no PEM certificates")]
    public async Task Upload_UnusableCaBundle_Exit2(string name, string message)
    {
        await using var tls = await StartAsync();
        tls.Dir.File("home/IMG_0006.jpg", 3000);

        var result = await tls.RunAsync(["upload", "--ca-bundle", tls.Dir.Combine(name), "IMG_0006.jpg"]);

        await Assert.That(result.ExitCode).IsEqualTo(2).Because(result.ToString());
        await Assert.That(result.Stderr.Trim().Split('\n').Length).IsEqualTo(1).Because(result.ToString());
        await Assert.That(result.Stderr).Contains($"--ca-bundle {tls.Dir.Combine(name)}: {message}");
    }
}
