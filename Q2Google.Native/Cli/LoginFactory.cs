using Q2Google.Api;
using Q2Google.Auth;

namespace Q2Google.Cli;

/// <summary>Makes the <see cref="GooglePhotosOAuth"/> of a command: the scopes it asks for, the token store this run uses.</summary>
internal sealed class LoginFactory(CliSettings settings, OAuthTokenClient oauth, IOAuthBrowser browser, Terminal terminal, TimeProvider time)
{
    /// <param name="scopes">What a new login asks for.</param>
    /// <param name="interactive">A missing or dead login starts a new one (a person at a terminal) instead of failing.</param>
    /// <param name="fileOnly">Write the token file even when <c>Q2GOOGLE_TOKEN_JSON</c> is set (<c>auth login</c> itself).</param>
    public GooglePhotosOAuth Create(IReadOnlyList<string> scopes, bool interactive = false, bool fileOnly = false) =>
        new(settings.ClientSecretsPath, scopes, fileOnly ? settings.CreateFileTokenStore() : settings.CreateTokenStore(), oauth, browser,
            terminal.In, terminal.Error, time, interactive, requiredScopes: [PhotosScopes.AppendOnly], warn: terminal.Warn, holdScreen: terminal.BeginPrompt);
}
