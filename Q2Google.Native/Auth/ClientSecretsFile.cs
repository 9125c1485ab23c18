using System.Text.Json.Serialization;

namespace Q2Google.Auth;

// The JSON Google Cloud Console downloads for an OAuth client (docs/protocol.md#client-secret-file).

internal sealed record ClientSecretsFile
{
    [JsonPropertyName("installed")]
    public ClientConfig? Installed { get; init; }

    [JsonPropertyName("web")]
    public ClientConfig? Web { get; init; }
}

internal sealed record ClientConfig
{
    [JsonPropertyName("client_id")]
    public string? ClientId { get; init; }

    [JsonPropertyName("client_secret")]
    public string? ClientSecret { get; init; }

    [JsonPropertyName("auth_uri")]
    public string? AuthUri { get; init; }

    [JsonPropertyName("token_uri")]
    public string? TokenUri { get; init; }
}
