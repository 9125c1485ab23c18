using System.Net;
using Q2Google.Api;
using Q2Google.Auth;

namespace Q2Google.Cli;

/// <summary>Turns a failure into the exit code of ../shared/CLI.md and a one-line message (never a token).</summary>
public static class ExitCodeMapper
{
    public sealed record Outcome(int ExitCode, string Message);

    public static Outcome Map(Exception e) => e switch
    {
        UsageException or ConsoleAppFramework.ArgumentParseFailedException =>
            new(ExitCodes.Usage, e.Message.TrimEnd('.') + ". See --help."),
        System.ComponentModel.DataAnnotations.ValidationException => new(ExitCodes.Usage, e.Message),
        ConfigurationException or State.StateLockedException or IO.UnsafeFileException => new(ExitCodes.Usage, e.Message),
        // The disk under the state folder failed: what this run did is saved, the rest waits for the next run.
        State.JournalWriteException => new(ExitCodes.SomeFilesFailed, e.Message),
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
        _ => new(ExitCodes.SomeFilesFailed, Unexpected(e)),
    };

    /// <summary>
    /// A bug, not bad input: one line for the person, the whole story (stack included) in a file of its own, so
    /// a cron log stays readable and a report can still be made. Secrets never reach exception messages.
    /// </summary>
    private static string Unexpected(Exception e)
    {
        var summary = $"unexpected error ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")})";
        try
        {
            var path = Path.Combine(Path.GetTempPath(), $"q2google-error-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}.txt");
            IO.PrivateFile.WriteNew(path, System.Text.Encoding.UTF8.GetBytes($"q2google {CliApp.Version}\n{e}\n"));
            return $"{summary}; the details are in {path}: please include them when you report it";
        }
        catch (Exception write) when (write is IOException or UnauthorizedAccessException or IO.UnsafeFileException)
        {
            return $"{summary} (the details could not be written: {write.Message})";
        }
    }

    private static string ScopeAdvice(GooglePhotosApiException e)
    {
        var scope = e.RequiredScope is { } s ? $"the '{PhotosScopes.ShortName(s)}' scope ({s})" : "a scope the login did not grant";
        var scopes = e.RequiredScope == PhotosScopes.EditAppCreatedData ? "append,read,edit" : "append,read";
        return $"{e.Operation} needs {scope}, which this login lacks (Google: {e.GoogleMessage?.Trim()}). " +
               $"Run `q2google auth login --scopes {scopes}`.";
    }
}
