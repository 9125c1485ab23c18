namespace Q2Google.Emulator;

// What tests and the emulator command use to play the user and the weather: faults, logins minted without a
// browser, tokens that expire or are revoked, and every secret handed out (to prove none leaks).
internal sealed partial class PhotosEmulator
{
    public void AddFault(EmulatorFault fault)
    {
        lock (_gate) _faults.Add(fault);
    }

    public void ClearFaults()
    {
        lock (_gate) _faults.Clear();
    }

    /// <summary>
    /// Mints a grant as if the user had logged in: everything a token file would hold, pointing at this
    /// emulator. Tests and the <c>emulator</c> command use it to skip the browser.
    /// </summary>
    /// <param name="scopes">Scopes as asked for; stored as Google grants them (<c>email</c> becomes <c>…/userinfo.email</c>).
    /// Default: the Photos scopes only, so no identity.</param>
    /// <param name="user">The account's sub. Default: <see cref="EmulatorOptions.AccountSub"/>.</param>
    /// <param name="email">The account's address. Default: <see cref="EmulatorOptions.AccountEmail"/> for the
    /// options' account, <c>USER@example.com</c> for any other.</param>
    public EmulatedLogin CreateLogin(IReadOnlyList<string>? scopes = null, string? user = null,
        EmulatedClient? client = null, TimeSpan? accessTokenLifetime = null, string? email = null)
    {
        client ??= Client;
        var granted = IdentityScopes.AsGranted(scopes ?? LibraryScopes.Default);
        user ??= Options.AccountSub;
        email ??= user == Options.AccountSub ? Options.AccountEmail : user + "@example.com";
        var now = Options.Time.GetUtcNow();
        var grant = new EmulatedGrant
        {
            RefreshToken = "1//" + RandomId(40), User = user, Email = email, ClientId = client.ClientId, Scopes = granted, CreatedAt = now,
        };
        var lifetime = accessTokenLifetime ?? Options.AccessTokenLifetime;
        var access = new EmulatedAccessToken("ya29." + RandomId(60), grant, granted, now + lifetime);
        lock (_gate)
        {
            _grants[grant.RefreshToken] = grant;
            _accessTokens[access.Token] = access;
        }

        MarkDirty();
        return new EmulatedLogin
        {
            AccessToken = access.Token,
            RefreshToken = grant.RefreshToken,
            TokenUri = TokenUri.AbsoluteUri,
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            Scopes = granted,
            Expiry = access.ExpiresAt,
            LoginTime = now,
            // What a login keeps from the id_token: the sub with any identity scope, the address only with email.
            AccountSub = IdentityScopes.AnyIdentity(granted) ? user : null,
            AccountEmail = IdentityScopes.GrantsEmail(granted) ? email : null,
        };
    }

    /// <summary>Every access token, refresh token and client secret handed out so far: tests check none leaks into output.</summary>
    public IReadOnlyList<string> IssuedSecrets()
    {
        lock (_gate)
        {
            return [.. _accessTokens.Keys, .. _grants.Keys, .. _clients.Values.Select(c => c.ClientSecret), .. _codes.Keys];
        }
    }

    /// <summary>Every grant is revoked: refreshes answer <c>invalid_grant</c>, as after "remove access".</summary>
    public void RevokeAllGrants()
    {
        lock (_gate)
        {
            foreach (var grant in _grants.Values) grant.Revoked = true;
            foreach (var token in _accessTokens.Values) token.Revoked = true;
        }

        MarkDirty();
    }
}
