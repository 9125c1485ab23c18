namespace Q2Google.Auth;

/// <summary>Where the authorized-user token lives. Implementations never print or log the token.</summary>
public interface ITokenStore
{
    /// <summary>A short human description (<c>file /home/me/.config/q2google/token.json</c>); no secrets.</summary>
    string Description { get; }

    /// <summary>The stored token, or null when there is none. A corrupt store throws <see cref="TokenStoreException"/>.</summary>
    Task<AuthorizedUserToken?> LoadAsync(CancellationToken cancellationToken = default);

    Task SaveAsync(AuthorizedUserToken token, CancellationToken cancellationToken = default);
}
