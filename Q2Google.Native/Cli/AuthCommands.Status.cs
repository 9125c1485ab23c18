using System.Globalization;
using System.Text.Json;
using Q2Google.Auth;

namespace Q2Google.Cli;

// auth status: the login in use, and every profile's.
internal sealed partial class AuthCommands
{
    /// <summary><c>q2google auth status</c> (summary, options and their help: <see cref="OptionTable"/>).</summary>
    public async Task<int> Status(bool json = false, bool check = false, CancellationToken cancellationToken = default)
    {
        var source = settings.TokenJson is not null ? "environment" : "file";
        var report = new AuthStatusReport
        {
            Usable = false, Source = source, Path = source == "file" ? settings.TokenPath : null, Profile = settings.Profile,
        };
        report = await ReportOnAsync(store, report, check, cancellationToken).ConfigureAwait(false);
        return Print(report with { Profiles = await ProfilesAsync(check, cancellationToken).ConfigureAwait(false) }, json);
    }

    /// <summary>
    /// Every login of this config folder, the default one first, then each profile's (docs/cli.md#profiles): whose
    /// it is and whether it works. Null when there are no profiles (the one login is the report itself).
    /// </summary>
    private async Task<IReadOnlyList<ProfileStatus>?> ProfilesAsync(bool check, CancellationToken cancellationToken)
    {
        var names = Directory.Exists(settings.ProfilesDir)
            ? Directory.EnumerateDirectories(settings.ProfilesDir).Select(Path.GetFileName).OfType<string>()
                .Where(n => File.Exists(Path.Combine(settings.ProfilesDir, n, "token.json"))).Order(StringComparer.Ordinal).ToList()
            : [];
        if (names.Count == 0) return null;
        var all = new List<ProfileStatus>();
        foreach (var name in names.Prepend(null))
        {
            var profile = settings.ForProfile(name);
            if (name is null && !File.Exists(profile.TokenPath)) continue;
            var report = await ReportOnAsync(profile.CreateFileTokenStore(),
                new AuthStatusReport { Usable = false, Source = "file", Path = profile.TokenPath }, check, cancellationToken).ConfigureAwait(false);
            all.Add(new ProfileStatus { Name = name, Account = report.Account, Usable = report.Usable, Problem = report.Problem });
        }

        return all;
    }

    /// <summary>What <paramref name="store"/>'s login is and whether it works (with <paramref name="check"/>, proven by a refresh).</summary>
    private async Task<AuthStatusReport> ReportOnAsync(ITokenStore store, AuthStatusReport report, bool check, CancellationToken cancellationToken)
    {
        AuthorizedUserToken? token;
        try
        {
            token = await store.LoadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (TokenStoreException e)
        {
            return report with { Problem = e.Message };
        }

        if (token is null)
        {
            return report with { Problem = AuthenticationRequiredException.NotLoggedIn(store.Description).Message };
        }

        if (store is FileTokenStore file && file.ExposureWarning() is { } exposed) terminal.Warn(exposed);
        var now = time.GetUtcNow();
        report = report with
        {
            Account = token.AccountEmail ?? (token.AccountSub is null ? null : "account " + token.AccountSub),
            ClientId = AuthorizedUserToken.ShortClientId(token.ClientId),
            Scopes = [.. (token.Scopes ?? []).Select(ScopeNames.Of)],
            AccessTokenExpiry = token.Expiry,
            HasRefreshToken = !string.IsNullOrEmpty(token.RefreshToken),
            LoginTime = token.LoginTime,
            Usable = token.MissingRefreshField() is null || !token.NeedsRefresh(now, TimeSpan.Zero),
        };
        if (!report.Usable)
        {
            report = report with { Problem = $"the token has no {token.MissingRefreshField()} and its access token has expired: run `q2google auth login`" };
        }
        else if (token.LoginTime is { } login && now - login > TimeSpan.FromDays(6) && now - login < ReloginAdvice.TestingModeLifetime)
        {
            var left = ReloginAdvice.TestingModeLifetime - (now - login);
            report = report with
            {
                Hint = $"this login is {(now - login).TotalDays:0.0} days old: if your OAuth app is in \"Testing\" publishing status, Google ends it " +
                       $"at 7 days (in {left.TotalHours:0} h). Publish the app (Google Cloud Console > OAuth consent screen > Publish app) to stop that",
            };
        }

        if (check && report.Usable)
        {
            try
            {
                var refreshed = await oauth.RefreshAsync(token, cancellationToken).ConfigureAwait(false);
                try
                {
                    await store.SaveAsync(refreshed, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    terminal.Warn($"the login works, but the refreshed token could not be saved to {store.Description} ({e.Message}); every run refreshes it again");
                }

                report = report with
                {
                    Check = "ok", AccessTokenExpiry = refreshed.Expiry,
                    Account = refreshed.AccountEmail ?? report.Account,
                    Hint = report.Hint,
                };
            }
            catch (OAuthException e)
            {
                report = report with
                {
                    Usable = false,
                    Check = "failed",
                    Problem = e.IsInvalidGrant ? ReloginAdvice.ForInvalidGrant(token, now, store.Description) : e.Message,
                    Hint = null,
                };
            }
            catch (AuthenticationRequiredException e)
            {
                report = report with { Usable = false, Check = "failed", Problem = e.Message };
            }
        }

        return report;
    }

    private int Print(AuthStatusReport report, bool json)
    {
        if (json)
        {
            terminal.Out.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.AuthStatusReport));
        }
        else
        {
            var o = terminal.Out;
            if (report.Profile is { } profile) o.WriteLine($"profile:        {profile}");
            o.WriteLine($"token:          {(report.Source == "file" ? "file " + report.Path : "environment variable " + InMemoryTokenStore.EnvironmentVariable)}");
            if (report.ClientId is not null)
            {
                o.WriteLine($"account:        {report.Account ?? "not recorded (run `q2google auth login` once)"}");
                o.WriteLine($"client id:      {report.ClientId}");
                o.WriteLine($"scopes:         {string.Join(", ", report.Scopes ?? [])}");
                o.WriteLine($"access token:   {Describe(report.AccessTokenExpiry)}");
                o.WriteLine($"refresh token:  {(report.HasRefreshToken ? "present" : "missing")}");
                if (report.LoginTime is { } login)
                {
                    o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"logged in:      {login.UtcDateTime:yyyy-MM-dd HH:mm}Z ({Ago(time.GetUtcNow() - login)})"));
                }
            }

            if (report.Check is not null) o.WriteLine($"check:          {report.Check}");
            o.WriteLine($"usable:         {(report.Usable ? "yes" : "no")}");
            if (report.Profiles is { Count: > 0 } profiles)
            {
                o.WriteLine("profiles:");
                foreach (var p in profiles)
                {
                    var works = p.Usable ? "works" : "does not work: " + (p.Problem ?? "no usable login");
                    o.WriteLine(TerminalText.Escape($"  {p.Name ?? "(default)",-16} {p.Account ?? "account not recorded",-32} {works}"));
                }
            }
        }

        if (report.Problem is not null) terminal.ReportError(report.Problem);
        if (report.ClientId is not null && report.Account is null)
        {
            terminal.Warn("this login does not record which Google account it belongs to (it was made by an older version or another tool); " +
                          "run `q2google auth login` once, so that uploads are journaled per account");
        }

        if (report.Hint is not null) terminal.Warn(report.Hint);
        return report.Usable ? ExitCodes.Success : ExitCodes.Authentication;
    }

    /// <summary>"5 minutes ago", "3 hours ago", "6.5 days ago": as a person would say it.</summary>
    internal static string Ago(TimeSpan age) => age switch
    {
        { TotalMinutes: < 1 } => "just now",
        { TotalHours: < 1 } => Plural.Of((long)age.TotalMinutes, "minute") + " ago",
        { TotalDays: < 1 } => Plural.Of((long)age.TotalHours, "hour") + " ago",
        { TotalDays: < 2 } => "1 day ago",
        // Half days matter near the 7-day end of a "Testing" app's refresh token.
        _ => string.Create(CultureInfo.InvariantCulture, $"{age.TotalDays:0.#} days ago"),
    };

    private string Describe(DateTimeOffset? expiry)
    {
        if (expiry is not { } at) return "none (a refresh gets one)";
        var left = at - time.GetUtcNow();
        return left <= TimeSpan.Zero
            ? string.Create(CultureInfo.InvariantCulture, $"expired at {at.UtcDateTime:yyyy-MM-dd HH:mm}Z (a refresh gets a new one)")
            : string.Create(CultureInfo.InvariantCulture, $"valid until {at.UtcDateTime:yyyy-MM-dd HH:mm}Z ({left.TotalMinutes:0} min)");
    }
}
