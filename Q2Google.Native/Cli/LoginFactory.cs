using Q2Google.Auth;

namespace Q2Google.Cli;

/// <summary>Makes a <see cref="GooglePhotosOAuth"/> for the scopes a command asks for, writing to the token file.</summary>
public sealed class LoginFactory(CliSettings settings, OAuthTokenClient oauth, IOAuthBrowser browser, Terminal terminal, TimeProvider time)
{
    public GooglePhotosOAuth Create(IReadOnlyList<string> scopes) =>
        new(settings.ClientSecretsPath, scopes, settings.CreateFileTokenStore(), oauth, browser, terminal.In, terminal.Error, time);
}
