using System.Text.Json.Serialization;

namespace Q2Google.Auth;

/// <summary>The source-generated context for the token file and Google's OAuth endpoints.</summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata, 
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(AuthorizedUserToken))]
[JsonSerializable(typeof(OAuthTokenResponse))]
[JsonSerializable(typeof(OAuthErrorResponse))]
[JsonSerializable(typeof(ClientSecretsFile))]
[JsonSerializable(typeof(IdTokenClaims))]
[JsonSerializable(typeof(TokenInfoResponse))]
internal sealed partial class TokenJsonContext : JsonSerializerContext;
