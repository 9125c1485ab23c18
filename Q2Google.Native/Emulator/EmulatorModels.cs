namespace Q2Google.Emulator;

// What the emulator remembers. Public records are what tests read back to prove every byte arrived once.

internal sealed record EmulatedMediaItem
{
    public required string Id { get; init; }
    public required string User { get; init; }
    public required string ClientId { get; init; }
    public required string FileName { get; init; }
    public string? Description { get; init; }
    public required string MimeType { get; init; }
    public required long Size { get; init; }

    /// <summary>Lower-case hex SHA-256 of the bytes the emulator received.</summary>
    public required string Sha256 { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The albums this item is in, in the order it was added.</summary>
    public List<string> AlbumIds { get; init; } = [];
}

internal sealed record EmulatedAlbum
{
    public required string Id { get; init; }
    public required string User { get; init; }
    public required string ClientId { get; init; }
    public required string Title { get; init; }
    public List<string> MediaItemIds { get; init; } = [];
}

/// <summary>One request as the emulator saw it; tests assert on offsets, commands and sizes.</summary>
/// <param name="ContentLength">The <c>Content-Length</c>, or for a chunked body the bytes read of it when it was answered.</param>
internal sealed record EmulatorRequest(
    DateTimeOffset Time,
    string Method,
    string Path,
    string? UploadCommand,
    long? Offset,
    long ContentLength,
    int Status);

internal sealed record EmulatedClient(string ClientId, string ClientSecret);

/// <summary>A refresh token and what it grants.</summary>
internal sealed record EmulatedGrant
{
    public required string RefreshToken { get; init; }

    /// <summary>The account's <c>sub</c>: whose library the grant opens.</summary>
    public required string User { get; init; }

    /// <summary>The account's address, for id_tokens and tokeninfo; null in state saved before accounts had one.</summary>
    public string? Email { get; init; }

    public required string ClientId { get; init; }
    public required IReadOnlyList<string> Scopes { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public bool Revoked { get; set; }
}

internal sealed record EmulatedAccessToken(string Token, EmulatedGrant Grant, IReadOnlyList<string> Scopes, DateTimeOffset ExpiresAt)
{
    public bool Revoked { get; set; }
}

internal sealed record EmulatedAuthCode(
    string Code,
    string ClientId,
    string RedirectUri,
    string? CodeChallenge,
    IReadOnlyList<string> Scopes,
    EmulatedAccount Account,
    DateTimeOffset ExpiresAt)
{
    public bool Used { get; set; }
}

internal sealed record EmulatedUploadToken(
    string Token,
    string User,
    string ClientId,
    string FileName,
    string MimeType,
    long Size,
    string Sha256,
    DateTimeOffset CreatedAt)
{
    public bool Used { get; set; }
}
