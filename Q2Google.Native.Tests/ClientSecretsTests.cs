using System.Text;
using Q2Google.Auth;
using Q2Google.Failures;
using Q2Google.Http;

namespace Q2Google.Tests;

public class ClientSecretsTests
{
    private const string Installed = """
        {"installed":{"client_id":"1234-abc.apps.googleusercontent.com","project_id":"p","auth_uri":"https://accounts.google.com/o/oauth2/auth",
         "token_uri":"https://oauth2.googleapis.com/token","auth_provider_x509_cert_url":"https://www.googleapis.com/oauth2/v1/certs",
         "client_secret":"GOCSPX-secret","redirect_uris":["http://localhost"]}}
        """;

    [Test]
    public async Task Installed_Parses()
    {
        var secrets = ClientSecrets.Parse(Encoding.UTF8.GetBytes(Installed), "c.json");
        await Assert.That(secrets.ClientId).IsEqualTo("1234-abc.apps.googleusercontent.com");
        await Assert.That(secrets.TokenUri).IsEqualTo("https://oauth2.googleapis.com/token");
        await Assert.That(secrets.ToString()).DoesNotContain("GOCSPX");
    }

    [Test]
    [Arguments("""{"web":{"client_id":"x","client_secret":"y","auth_uri":"https://a","token_uri":"https://t"}}""", "\"Web application\"", "Desktop app")]
    [Arguments("""{"installed":{"client_secret":"y","auth_uri":"https://a","token_uri":"https://t"}}""", "no client_id", "Desktop app")]
    [Arguments("""{"installed":{"client_id":"x","auth_uri":"https://a","token_uri":"https://t"}}""", "no client_secret", "Credentials")]
    [Arguments("""this is not json""", "not a valid OAuth client file", "Credentials")]
    [Arguments("""{"type":"service_account"}""", "no \"installed\" section", "Desktop app")]
    [Arguments("""{"installed":{"client_id":"x","client_secret":"y","auth_uri":"https://a","token_uri":"http://evil.example/token"}}""", "must use https://", "token_uri")]
    public async Task Problems_OneLineErrorSayingWhatToDoInTheConsole(string json, string what, string todo)
    {
        var error = await Assert.That(() => ClientSecrets.Parse(Encoding.UTF8.GetBytes(json), "/cfg/client_secret.json")).Throws<ConfigurationException>();

        await Assert.That(error!.Message).Contains(what);
        await Assert.That(error.Message).Contains(todo);
        await Assert.That(error.Message).Contains("/cfg/client_secret.json");
        await Assert.That(error.Message).DoesNotContain("\n");
    }

    [Test]
    public async Task MissingFile_SaysHowToCreateOne()
    {
        var error = await Assert.That(() => ClientSecrets.LoadAsync("/nonexistent/client_secret.json")).Throws<ConfigurationException>();
        await Assert.That(error!.Message).Contains("Desktop app");
        await Assert.That(error.Message).Contains("--client-secrets");
    }

    [Test]
    [Arguments("http://127.0.0.1:8765/?state=S&code=4%2F0Abc&scope=a+b&authuser=0&prompt=consent&iss=https%3A%2F%2Faccounts.google.com", "4/0Abc", "S")]
    [Arguments("'http://localhost:1/?code=4%2Fx123456789&state=T#'", "4/x123456789", "T")]
    // Browsers hide the scheme; what is copied from the address bar may lack it.
    [Arguments("127.0.0.1:1234/?code=4%2F0Abc&state=S2", "4/0Abc", "S2")]
    [Arguments("localhost:1234/?state=S3&code=4/0Xyz", "4/0Xyz", "S3")]
    [Arguments("code=4%2F0Q&state=S4", "4/0Q", "S4")]
    [Arguments("4%2F0AbcdefghijklMN", "4/0AbcdefghijklMN", null)]
    [Arguments("4/0AbcdefghijklMN", "4/0AbcdefghijklMN", null)]
    public async Task PastedAnswer_UrlOrBareCode_Parsed(string pasted, string code, string? state)
    {
        var callback = AuthorizationCallback.FromPaste(pasted)!;
        await Assert.That(callback.Code).IsEqualTo(code);
        await Assert.That(callback.State).IsEqualTo(state);
    }

    [Test]
    [Arguments("")]
    [Arguments("yes")]
    [Arguments("http://127.0.0.1:8765/")]
    [Arguments("I pressed allow")]
    [Arguments("127.0.0.1:1234/?state=S")]
    [Arguments("name=value")]
    public async Task PastedAnswer_Nonsense_IsNull(string pasted)
    {
        await Assert.That(AuthorizationCallback.FromPaste(pasted)).IsNull();
    }

    [Test]
    public async Task Pkce_S256ChallengeAndState_AreRandomBase64Url()
    {
        var a = Pkce.Create();
        var b = Pkce.Create();

        await Assert.That(a.Verifier.Length).IsEqualTo(43);
        await Assert.That(a.State).IsNotEqualTo(b.State);
        await Assert.That(a.Challenge).IsEqualTo(Pkce.ChallengeOf(a.Verifier));
        // RFC 7636 appendix B.
        await Assert.That(Pkce.ChallengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).IsEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        await Assert.That(a.StateMatches(a.State)).IsTrue();
        await Assert.That(a.StateMatches(null)).IsFalse();
        await Assert.That(a.StateMatches(b.State)).IsFalse();
    }
}
