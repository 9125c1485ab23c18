namespace Q2Google.Emulator;

/// <summary>What a login at the emulator hands out: the tokens and where to refresh them, as a token file would keep them.</summary>
internal sealed record EmulatedLogin
{
    public required string AccessToken { get; init; }
    public required string RefreshToken { get; init; }
    public required string TokenUri { get; init; }
    public required string ClientId { get; init; }
    public required string ClientSecret { get; init; }
    public required IReadOnlyList<string> Scopes { get; init; }
    public required DateTimeOffset Expiry { get; init; }
    public required DateTimeOffset LoginTime { get; init; }

    /// <summary>Set when an identity scope was granted, as a login learns it from the id_token.</summary>
    public string? AccountSub { get; init; }

    public string? AccountEmail { get; init; }

    public override string ToString() => $"EmulatedLogin {{ client_id = {ClientId}, account = {AccountEmail} }}";
}
