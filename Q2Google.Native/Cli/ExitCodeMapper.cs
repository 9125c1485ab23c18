using System.Net;
using Q2Google.Api;
using Q2Google.Auth;
using Q2Google.Failures;
using Q2Google.Http;

namespace Q2Google.Cli;

/// <summary>
/// Turns a failure into the exit code of docs/cli.md#exit-codes and a one-line message (never a token). What a
/// failure means comes from <see cref="FailurePolicy"/>; only the wording is decided here.
/// </summary>
internal static class ExitCodeMapper
{
    public sealed record Outcome(int ExitCode, string Message);

    public static Outcome Map(Exception e)
    {
        // The framework's own parse failures are usage errors it cannot label itself.
        var kind = e is ConsoleAppFramework.ArgumentParseFailedException or System.ComponentModel.DataAnnotations.ValidationException
            ? FailureKind.Usage
            : FailurePolicy.Classify(e);
        return new(ExitCodeOf(kind), MessageOf(e, kind));
    }

    public static int ExitCodeOf(FailureKind kind) => kind switch
    {
        FailureKind.Usage or FailureKind.Configuration => ExitCodes.Usage,
        FailureKind.Authentication => ExitCodes.Authentication,
        FailureKind.Stop => ExitCodes.DailyQuota,
        FailureKind.Interrupted => ExitCodes.Interrupted,
        // A file, an unreachable host, a refused certificate, a journal that cannot be written, a bug: something failed.
        _ => ExitCodes.SomeFilesFailed,
    };

    private static string MessageOf(Exception e, FailureKind kind) => e switch
    {
        UsageException or ConsoleAppFramework.ArgumentParseFailedException => e.Message.TrimEnd('.') + ". See --help.",
        OAuthException { IsInvalidGrant: true } => e.Message + ": the saved login no longer works; run `q2google auth login`",
        OAuthException { IsClientConfiguration: true } => e.Message + ": check the OAuth client (client_id/client_secret) in your client secrets file",
        GooglePhotosApiException { StatusCode: HttpStatusCode.Unauthorized } => e.Message + " (the token was refreshed and still refused: run `q2google auth login`)",
        GooglePhotosApiException { IsInsufficientScope: true } api => ScopeAdvice(api),
        GooglePhotosApiException { IsDailyQuotaExhausted: true } api => $"stopped: {api.DailyQuotaAdvice}",
        RequestBudgetExhaustedException => $"stopped: {e.Message}; run again to continue",
        HttpRequestException http when TlsVerificationException.IsCertificateFailure(http, out var tls) => TlsVerificationException.Describe(null, tls, null),
        _ when kind == FailureKind.Bug => Unexpected(e),
        _ => e.Message,
    };

    private static string ScopeAdvice(GooglePhotosApiException e)
    {
        var scope = e.RequiredScope is { } s ? $"the '{ScopeNames.Of(s)}' scope ({s})" : "a scope the login did not grant";
        var scopes = e.RequiredScope == PhotosScopes.EditAppCreatedData ? "append,read,edit" : "append,read";
        return $"{e.Operation} needs {scope}, which this login lacks (Google: {e.GoogleMessage?.Trim()}). " +
               $"Run `q2google auth login --scopes {scopes}`.";
    }

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
}
