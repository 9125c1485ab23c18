using System.Net;
using Q2Google.Api;
using Q2Google.Auth;

namespace Q2Google.Cli;

/// <summary>Turns a failure into the exit code of ../shared/CLI.md and a one-line message (never a token).</summary>
public static class ExitCodeMapper
{
    public sealed record Outcome(int ExitCode, string Message, bool ShowStack = false);

    public static Outcome Map(Exception e) => e switch
    {
        UsageException or ConsoleAppFramework.ArgumentParseFailedException =>
            new(ExitCodes.Usage, e.Message.TrimEnd('.') + ". See --help."),
        System.ComponentModel.DataAnnotations.ValidationException => new(ExitCodes.Usage, e.Message),
        ConfigurationException or State.StateLockedException => new(ExitCodes.Usage, e.Message),
        AuthenticationRequiredException or TokenStoreException => new(ExitCodes.Authentication, e.Message),
        OAuthException { IsInvalidGrant: true } => new(ExitCodes.Authentication,
            e.Message + ": the saved login no longer works; run `q2google auth login`"),
        OAuthException { IsClientConfiguration: true } => new(ExitCodes.Usage,
            e.Message + ": check the OAuth client (client_id/client_secret) in your client secrets file"),
        OAuthException => new(ExitCodes.Authentication, e.Message),
        GooglePhotosApiException { StatusCode: HttpStatusCode.Unauthorized } => new(ExitCodes.Authentication,
            e.Message + " (the token was refreshed and still refused: run `q2google auth login`)"),
        GooglePhotosApiException { IsInsufficientScope: true } api => new(ExitCodes.Authentication, ScopeAdvice(api)),
        RequestBudgetExhaustedException => new(ExitCodes.DailyQuota, e.Message + "; run again to continue"),
        GooglePhotosApiException { IsDailyQuotaExhausted: true } => new(ExitCodes.DailyQuota,
            e.Message + " (Google's daily quota for your OAuth client is used up; run again after midnight Pacific time and it resumes)"),
        // Like a refused connection, a refused certificate is a network failure (1), whichever way it surfaces.
        TlsVerificationException => new(ExitCodes.SomeFilesFailed, e.Message),
        HttpRequestException http when TlsVerificationException.IsCertificateFailure(http, out var tls) =>
            new(ExitCodes.SomeFilesFailed, TlsVerificationException.Describe(null, tls, null)),
        GooglePhotosApiException or TimeoutException or HttpRequestException or IOException or UnauthorizedAccessException =>
            new(ExitCodes.SomeFilesFailed, e.Message),
        _ => new(ExitCodes.SomeFilesFailed, $"unexpected error: {e}", ShowStack: true),
    };

    private static string ScopeAdvice(GooglePhotosApiException e)
    {
        var scope = e.RequiredScope is { } s ? $"the '{PhotosScopes.ShortName(s)}' scope ({s})" : "a scope the login did not grant";
        var scopes = e.RequiredScope == PhotosScopes.EditAppCreatedData ? "append,read,edit" : "append,read";
        return $"{e.Operation} needs {scope}, which this login lacks (Google: {e.GoogleMessage?.Trim()}). " +
               $"Run `q2google auth login --scopes {scopes}`.";
    }
}
