using System.Text.Json;
using System.Text.Json.Serialization;
using Q2Google.Failures;
using Q2Google.Http;

namespace Q2Google.Auth;

/// <summary>
/// The OAuth client a user downloads from Google Cloud Console: the "installed" (Desktop app) layout of
/// docs/protocol.md#client-secret-file. Every way it can be wrong gets a one-line error that says what to change in the Console.
/// </summary>
public sealed record ClientSecrets(string ClientId, string ClientSecret, string AuthUri, string TokenUri)
{
    private const string Console = "Google Cloud Console > APIs & Services > Credentials";

    public static async Task<ClientSecrets> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ConfigurationException(
                $"no OAuth client file at {path}. To use your Google Photos: in {Console} create an OAuth client ID of type \"Desktop app\", " +
                "save its JSON there (or pass --client-secrets FILE) and run 'q2google auth login' (the README's \"Create your Google Cloud OAuth client\" " +
                "walks through it). To try q2google first without a Google account: 'q2google upload --emulator PATH'");
        }
        catch (UnauthorizedAccessException)
        {
            throw new ConfigurationException($"cannot read the OAuth client file {path}: permission denied; fix its owner or mode");
        }

        return Parse(bytes, path);
    }

    public static ClientSecrets Parse(ReadOnlySpan<byte> json, string path)
    {
        ClientSecretsFile? file;
        try
        {
            file = JsonSerializer.Deserialize(json, TokenJsonContext.Default.ClientSecretsFile);
        }
        catch (JsonException e)
        {
            throw new ConfigurationException(
                $"{path} is not a valid OAuth client file (JSON error at line {e.LineNumber + 1}): download the Desktop app client's JSON again from {Console}");
        }

        if (file?.Installed is not { } installed)
        {
            if (file?.Web is not null)
            {
                throw new ConfigurationException(
                    $"{path} holds a \"Web application\" OAuth client, which cannot redirect to this machine: in {Console} create an OAuth client ID " +
                    "with Application type \"Desktop app\" and download that JSON instead");
            }

            throw new ConfigurationException(
                $"{path} is not a Google OAuth client file (no \"installed\" section): in {Console} download the JSON of a \"Desktop app\" OAuth client");
        }

        string Required(string? value, string name) => string.IsNullOrWhiteSpace(value)
            ? throw new ConfigurationException(
                $"{path} has no {name} in its \"installed\" section: download the Desktop app client's JSON again from {Console}")
            : value.Trim();

        var secrets = new ClientSecrets(
            Required(installed.ClientId, "client_id"),
            Required(installed.ClientSecret, "client_secret"),
            Required(installed.AuthUri, "auth_uri"),
            Required(installed.TokenUri, "token_uri"));
        EndpointRules.RequireSecure(secrets.AuthUri, $"auth_uri in {path}");
        EndpointRules.RequireSecure(secrets.TokenUri, $"token_uri in {path}");
        return secrets;
    }

    /// <summary>Never print the secret.</summary>
    public override string ToString() => $"ClientSecrets {{ client_id = {AuthorizedUserToken.ShortClientId(ClientId)} }}";
}
