using System.Text;
using System.Text.Json;
using Q2Google.Api;
using Q2Google.Auth;
using Q2Google.Http;

namespace Q2Google.Cli;

internal sealed partial class AuthCommands(CliSettings settings, Terminal terminal, LoginFactory logins, OAuthTokenClient oauth, ITokenStore store,
    TimeProvider time)
{
    /// <summary><c>q2google auth login</c> (summary, options and their help: <see cref="OptionTable"/>).</summary>
    public async Task<int> Login(string scopes = "append,read", bool noBrowser = false, int port = 0, int timeout = 300,
        CancellationToken cancellationToken = default)
    {
        var wanted = ParseScopes(scopes);
        if (port is < 0 or > 65535) throw new UsageException($"--port {port} is not a port (0-65535)");
        if (timeout <= 0) throw new UsageException($"--timeout {timeout} must be a positive number of seconds");
        if (settings.TokenJson is not null) terminal.Warn($"{InMemoryTokenStore.EnvironmentVariable} is set and wins over the token file this login writes");

        var token = await logins.Create(wanted, fileOnly: true).AuthorizeInteractiveAsync(new LoginOptions
        {
            NoBrowser = noBrowser, Port = port, Timeout = TimeSpan.FromSeconds(timeout),
        }, cancellationToken).ConfigureAwait(false);
        var notGranted = wanted.Where(s => !(token.Scopes ?? []).Contains(s)).Select(ScopeNames.Of).ToList();
        if (notGranted.Count > 0) terminal.Warn($"these permissions were not granted: {string.Join(", ", notGranted)}; commands that need them will fail");

        terminal.Out.WriteLine($"Logged in{(token.AccountEmail is { } email ? " as " + email : "")}. Granted: {string.Join(", ", (token.Scopes ?? []).Select(ScopeNames.Of))}.");
        terminal.Out.WriteLine($"Token saved to {settings.TokenPath} (readable by you only).");
        return ExitCodes.Success;
    }

    /// <summary><c>q2google auth logout</c> (summary, options and their help: <see cref="OptionTable"/>).</summary>
    public async Task<int> Logout(bool revoke = false, CancellationToken cancellationToken = default)
    {
        if (settings.TokenJson is not null && !revoke)
        {
            throw new UsageException($"the login comes from {InMemoryTokenStore.EnvironmentVariable}, not a file: unset the variable, or use --revoke to end it at Google");
        }

        var token = await store.LoadAsync(cancellationToken).ConfigureAwait(false);
        var previous = (store as FileTokenStore)?.LoadPrevious();
        if (token is null && previous is null)
        {
            terminal.Out.WriteLine($"Not logged in (no token in {store.Description}); nothing to do.");
            return ExitCodes.Success;
        }

        if (revoke)
        {
            if (token is not null) await RevokeAsync(token, "the login", cancellationToken).ConfigureAwait(false);
            // The login a newer login replaced is still a working login until revoked, unless it is the same grant.
            if (previous is not null && previous.RefreshToken != token?.RefreshToken)
            {
                await RevokeAsync(previous, "the previous login (kept beside it)", cancellationToken).ConfigureAwait(false);
            }
        }

        if (store is FileTokenStore file)
        {
            var removed = new[] { file.Path, file.PreviousPath }.Where(File.Exists).ToList();
            file.Delete();
            terminal.Out.WriteLine($"Logged out: removed {string.Join(" and ", removed)}.");
        }

        return ExitCodes.Success;
    }

    /// <summary><c>q2google auth export</c> (summary, options and their help: <see cref="OptionTable"/>).</summary>
    public async Task<int> Export(CancellationToken cancellationToken = default)
    {
        var token = await store.LoadAsync(cancellationToken).ConfigureAwait(false)
                    ?? throw AuthenticationRequiredException.NotLoggedIn(store.Description);
        if (!Console.IsOutputRedirected) terminal.Warn("this is your login: whoever has it can upload to your library; keep it as secret as a password");
        terminal.Out.WriteLine(JsonSerializer.Serialize(token, TokenJsonContext.Default.AuthorizedUserToken));
        return ExitCodes.Success;
    }

    /// <summary><c>q2google auth import</c> (summary, options and their help: <see cref="OptionTable"/>).</summary>
    public async Task<int> Import([ConsoleAppFramework.Argument] string file, CancellationToken cancellationToken = default)
    {
        var source = file == "-" ? "the token on standard input" : $"the token file {file}";
        byte[] bytes;
        try
        {
            bytes = file == "-"
                ? Encoding.UTF8.GetBytes(await terminal.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false))
                : await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read {file}: {e.Message}");
        }

        AuthorizedUserToken token;
        try
        {
            token = FileTokenStore.Parse(bytes, source);
        }
        catch (TokenStoreException e)
        {
            throw new UsageException(e.Message);
        }

        if (token.MissingRefreshField() is { } missing)
        {
            throw new UsageException($"{source} has no {missing}, so it could never be refreshed; export it again with `q2google auth export`");
        }

        EndpointRules.RequireSecure(token.EffectiveTokenUri, $"token_uri in {source}");
        var target = settings.CreateFileTokenStore();
        await target.SaveAsync(token, cancellationToken).ConfigureAwait(false);
        terminal.Out.WriteLine($"Imported the login of client {AuthorizedUserToken.ShortClientId(token.ClientId)} " +
                               $"({string.Join(", ", (token.Scopes ?? []).Select(ScopeNames.Of))}) into {target.Path} (readable by you only).");
        if (settings.TokenJson is not null) terminal.Warn($"{InMemoryTokenStore.EnvironmentVariable} is set and wins over this file");
        return ExitCodes.Success;
    }

    private async Task RevokeAsync(AuthorizedUserToken token, string what, CancellationToken cancellationToken)
    {
        var secret = token.RefreshToken ?? token.Token ?? throw new UsageException($"{what} holds nothing to revoke");
        try
        {
            await oauth.RevokeAsync(token.EffectiveTokenUri, secret, cancellationToken).ConfigureAwait(false);
            terminal.Out.WriteLine($"Revoked {what} at Google.");
        }
        catch (OAuthException e) when (e.Error == "invalid_token")
        {
            terminal.Out.WriteLine($"Google already considers {what} revoked or expired.");
        }
    }


    internal static IReadOnlyList<string> ParseScopes(string text)
    {
        var scopes = new List<string>();
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!ScopeNames.TryParse(name, out var scope)) throw new UsageException($"unknown scope '{name}' in --scopes; use append, read and/or edit");
            if (!scopes.Contains(scope)) scopes.Add(scope);
        }

        return scopes.Count > 0 ? scopes : throw new UsageException("--scopes is empty; use append, read and/or edit");
    }
}
