using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Q2Google.Http;

namespace Q2Google.Emulator;

// Google's OAuth endpoints for installed apps (docs/protocol.md#oauth-installed-app-flow and #emulator-checks): a consent page that
// decides by itself, a token endpoint that checks PKCE, client and redirect URI, and revocation.
internal sealed partial class PhotosEmulator
{
    private static readonly HashSet<string> KnownScopes =
    [
        LibraryScopes.AppendOnly, LibraryScopes.ReadOnlyAppCreatedData, LibraryScopes.EditAppCreatedData, .. IdentityScopes.All,
    ];

    private HttpResponse HandleAuthorize(HttpExchange exchange)
    {
        var request = exchange.Request;
        if (request.Method != "GET") return HttpResponse.Html(405, ErrorPage("405", "Use GET."));

        var clientId = request.QueryValue("client_id");
        bool knownClient;
        lock (_gate) knownClient = clientId is not null && _clients.ContainsKey(clientId);
        if (!knownClient) return HttpResponse.Html(401, ErrorPage("Error 401: invalid_client", "The OAuth client was not found."));

        // Configuration errors never reach the app: Google shows its own page and does not redirect.
        var redirectUri = request.QueryValue("redirect_uri");
        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out var redirect) || redirect.Scheme != "http" || !Http.EndpointRules.IsLoopback(redirect))
        {
            return HttpResponse.Html(400, ErrorPage("Error 400: redirect_uri_mismatch", "A desktop client must redirect to a loopback address (http://127.0.0.1:PORT)."));
        }

        if (request.QueryValue("response_type") != "code") return HttpResponse.Html(400, ErrorPage("Error 400: unsupported_response_type", "response_type must be code."));

        var scopes = (request.QueryValue("scope") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (scopes.Length == 0) return HttpResponse.Html(400, ErrorPage("Error 400: invalid_request", "Missing required parameter: scope"));
        if (scopes.Any(s => s.Contains("/auth/drive", StringComparison.Ordinal)) && scopes.Any(s => s.Contains("photoslibrary", StringComparison.Ordinal)))
        {
            return HttpResponse.Html(400, ErrorPage("Error 400: invalid_request", "Some requested scopes cannot be requested together."));
        }

        var unknown = scopes.Where(s => !KnownScopes.Contains(s)).ToList();
        if (unknown.Count > 0)
        {
            return HttpResponse.Html(400, ErrorPage("Error 400: invalid_scope", $"Some requested scopes were invalid. {{invalid=[{string.Join(", ", unknown)}]}}"));
        }

        var challenge = request.QueryValue("code_challenge");
        var method = request.QueryValue("code_challenge_method") ?? "plain";
        if (challenge is not null && method is not ("S256" or "plain"))
        {
            return HttpResponse.Html(400, ErrorPage("Error 400: invalid_request", "Invalid code_challenge_method."));
        }

        var state = request.QueryValue("state");
        var separator = redirectUri!.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        var stateParameter = state is null ? "" : "state=" + Uri.EscapeDataString(state) + "&";
        if (Options.DenyConsent)
        {
            return HttpResponse.Redirect($"{redirectUri}{separator}error=access_denied{(state is null ? "" : "&state=" + Uri.EscapeDataString(state))}");
        }

        var ticked = Options.GrantedScopesOverride is { } only
            ? scopes.Where(s => only.Contains(s) || only.Contains(IdentityScopes.AsGranted(s)))
            : scopes;
        var granted = IdentityScopes.AsGranted(ticked);
        var code = "4/0A" + RandomId(70);
        var account = AccountFor(request.QueryValue("login_hint"));
        lock (_gate)
        {
            _codes[code] = new EmulatedAuthCode(code, clientId!, redirectUri, challenge is null ? null : method + ":" + challenge,
                granted, account, Options.Time.GetUtcNow() + Options.AuthorizationCodeLifetime);
        }

        // The extra parameters Google really adds; clients must ignore what they do not know.
        var scopeText = string.Join('+', granted.Select(Uri.EscapeDataString));
        return HttpResponse.Redirect($"{redirectUri}{separator}{stateParameter}iss=https%3A%2F%2Faccounts.google.com&code={Uri.EscapeDataString(code)}&scope={scopeText}&authuser=0&prompt=consent");
    }

    /// <summary>
    /// Who logs in: the options' account, unless <c>login_hint</c> names another address; then an account of
    /// that address, as if the user had picked it in Google's account chooser.
    /// </summary>
    private EmulatedAccount AccountFor(string? loginHint)
    {
        if (loginHint is null || !loginHint.Contains('@', StringComparison.Ordinal)) return Account;
        return string.Equals(loginHint.Trim(), Options.AccountEmail, StringComparison.OrdinalIgnoreCase) ? Account : EmulatedAccount.ForEmail(loginHint.Trim());
    }

    private async Task<HttpResponse> HandleTokenAsync(HttpExchange exchange, CancellationToken cancellationToken)
    {
        var request = exchange.Request;
        if (request.Method != "POST") return GoogleErrors.OAuth(405, "invalid_request", "Use POST.");
        if (!(request.Header("Content-Type") ?? "").StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return GoogleErrors.OAuth(400, "invalid_request", "The token endpoint accepts application/x-www-form-urlencoded bodies only.");
        }

        if (TakeFault(FaultTarget.Token, FaultKind.Status) is { } fault)
        {
            return GoogleErrors.OAuth(fault.Status, "internal_failure", "Injected failure.");
        }

        var form = await ReadFormAsync(exchange, cancellationToken).ConfigureAwait(false);
        var (clientId, clientSecret) = ClientCredentials(request, form);
        EmulatedClient? client;
        lock (_gate) client = clientId is null ? null : _clients.GetValueOrDefault(clientId);
        if (client is null) return GoogleErrors.OAuth(401, "invalid_client", "The OAuth client was not found.");
        if (clientSecret != client.ClientSecret) return GoogleErrors.OAuth(401, "invalid_client", "Unauthorized");

        return form.GetValueOrDefault("grant_type") switch
        {
            "authorization_code" => ExchangeCode(form, client),
            "refresh_token" => Refresh(form, client),
            _ => GoogleErrors.OAuth(400, "unsupported_grant_type", "Invalid grant_type: " + form.GetValueOrDefault("grant_type")),
        };
    }

    /// <summary>
    /// The client's id and secret, from the form (client_secret_post) or from HTTP Basic authentication
    /// (client_secret_basic, RFC 6749 2.3.1: each part form-encoded, then base64): Google's discovery document
    /// lists both, and clients such as Go's oauth2 package try Basic first.
    /// </summary>
    private static (string? Id, string? Secret) ClientCredentials(HttpRequestHead request, Dictionary<string, string> form)
    {
        if (request.Header("Authorization") is { } header && header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0) return (FormDecode(pair[..colon]), FormDecode(pair[(colon + 1)..]));
            }
            catch (FormatException)
            {
            }

            return (null, null);
        }

        return (form.GetValueOrDefault("client_id"), form.GetValueOrDefault("client_secret"));
    }

    private static string FormDecode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    private HttpResponse ExchangeCode(Dictionary<string, string> form, EmulatedClient client)
    {
        var now = Options.Time.GetUtcNow();
        EmulatedAuthCode? code;
        lock (_gate) code = _codes.GetValueOrDefault(form.GetValueOrDefault("code") ?? "");
        if (code is null || code.ClientId != client.ClientId) return GoogleErrors.OAuth(400, "invalid_grant", "Malformed auth code.");

        lock (_gate)
        {
            if (code.Used || code.ExpiresAt <= now) return GoogleErrors.OAuth(400, "invalid_grant", "Bad Request");
            // A code is spent by any attempt, as Google's are.
            code.Used = true;
        }

        if (form.GetValueOrDefault("redirect_uri") != code.RedirectUri) return GoogleErrors.OAuth(400, "redirect_uri_mismatch", "Bad Request");
        if (code.CodeChallenge is { } stored && !VerifierMatches(stored, form.GetValueOrDefault("code_verifier")))
        {
            return GoogleErrors.OAuth(400, "invalid_grant", "Invalid code verifier.");
        }

        var grant = new EmulatedGrant
        {
            RefreshToken = "1//" + RandomId(40), User = code.Account.Sub, Email = code.Account.Email, ClientId = client.ClientId,
            Scopes = code.Scopes, CreatedAt = now,
        };
        var access = new EmulatedAccessToken("ya29." + RandomId(60), grant, code.Scopes, now + Options.AccessTokenLifetime);
        lock (_gate)
        {
            _grants[grant.RefreshToken] = grant;
            _accessTokens[access.Token] = access;
        }

        MarkDirty();
        return TokenAnswer(access, grant.RefreshToken);
    }

    private HttpResponse Refresh(Dictionary<string, string> form, EmulatedClient client)
    {
        var now = Options.Time.GetUtcNow();
        EmulatedGrant? grant;
        lock (_gate) grant = _grants.GetValueOrDefault(form.GetValueOrDefault("refresh_token") ?? "");
        if (grant is null || grant.Revoked || (Options.RefreshTokenLifetime is { } life && grant.CreatedAt + life <= now))
        {
            return GoogleErrors.OAuth(400, "invalid_grant", "Token has been expired or revoked.");
        }

        if (grant.ClientId != client.ClientId) return GoogleErrors.OAuth(401, "unauthorized_client", "Unauthorized");

        var scopes = grant.Scopes;
        if (form.GetValueOrDefault("scope") is { Length: > 0 } subset)
        {
            var wanted = IdentityScopes.AsGranted(subset.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            if (wanted.Any(s => !grant.Scopes.Contains(s))) return GoogleErrors.OAuth(400, "invalid_scope", "The requested scope is not a subset of the granted scopes.");
            scopes = wanted;
        }

        var access = new EmulatedAccessToken("ya29." + RandomId(60), grant, scopes, now + Options.AccessTokenLifetime);
        lock (_gate) _accessTokens[access.Token] = access;
        // Google usually sends no new refresh token on refresh: clients must keep the old one.
        return TokenAnswer(access, refreshToken: null);
    }

    private HttpResponse TokenAnswer(EmulatedAccessToken access, string? refreshToken)
    {
        var expiresIn = (long)(access.ExpiresAt - Options.Time.GetUtcNow()).TotalSeconds;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("access_token", access.Token);
            if (Options.ExpiresInAsString) writer.WriteString("expires_in", expiresIn.ToString(System.Globalization.CultureInfo.InvariantCulture));
            else writer.WriteNumber("expires_in", expiresIn);
            if (refreshToken is not null) writer.WriteString("refresh_token", refreshToken);
            if (Options.RefreshTokenLifetime is { } life) writer.WriteNumber("refresh_token_expires_in", (long)life.TotalSeconds);
            writer.WriteString("scope", string.Join(' ', access.Scopes));
            writer.WriteString("token_type", "Bearer");
            // On the code exchange and on every refresh alike, as Google does once an identity scope was granted.
            if (IdentityScopes.AnyIdentity(access.Scopes)) writer.WriteString("id_token", IdToken(access));
            writer.WriteEndObject();
        }

        return HttpResponse.Json(200, buffer.ToArray());
    }

    private async Task<HttpResponse> HandleRevokeAsync(HttpExchange exchange, CancellationToken cancellationToken)
    {
        if (exchange.Request.Method != "POST") return GoogleErrors.OAuth(405, "invalid_request", "Use POST.");
        var form = await ReadFormAsync(exchange, cancellationToken).ConfigureAwait(false);
        var token = form.GetValueOrDefault("token") ?? exchange.Request.QueryValue("token");
        lock (_gate)
        {
            var grant = token is null ? null
                : _grants.GetValueOrDefault(token) ?? _accessTokens.GetValueOrDefault(token)?.Grant;
            if (grant is null || grant.Revoked) return GoogleErrors.OAuth(400, "invalid_token", "Token expired or revoked");
            // Revoking either token of a grant ends the whole grant.
            grant.Revoked = true;
            foreach (var access in _accessTokens.Values.Where(a => a.Grant == grant)) access.Revoked = true;
        }

        MarkDirty();
        return HttpResponse.Json(200, "{}"u8.ToArray());
    }

    private static bool VerifierMatches(string stored, string? verifier)
    {
        if (string.IsNullOrEmpty(verifier)) return false;
        var colon = stored.IndexOf(':', StringComparison.Ordinal);
        var (method, challenge) = (stored[..colon], stored[(colon + 1)..]);
        var expected = method == "S256" ? Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) : verifier;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(challenge));
    }

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static async Task<Dictionary<string, string>> ReadFormAsync(HttpExchange exchange, CancellationToken cancellationToken)
    {
        var bytes = await exchange.Body.ReadToEndAsync(MaxJsonBody, cancellationToken).ConfigureAwait(false);
        if (bytes is null) return [];
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in HttpRequestHead.ParseQuery(Encoding.UTF8.GetString(bytes))) form.TryAdd(key, value);
        return form;
    }

    private static string ErrorPage(string title, string detail) =>
        $"<!doctype html><title>{WebUtility.HtmlEncode(title)}</title><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(detail)}</p>";
}
