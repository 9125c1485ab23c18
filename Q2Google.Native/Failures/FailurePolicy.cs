using System.Net.Sockets;

namespace Q2Google.Failures;

/// <summary>
/// The one place that decides what a failure means: retry it, fail one file, stop the run cleanly, or end it.
/// The upload engine, the API and OAuth clients and the exit-code mapper all ask here.
/// </summary>
internal static class FailurePolicy
{
    public static FailureKind Classify(Exception e) => e switch
    {
        IFailure known => known.Kind,
        // Our own failures travel inside HttpClient's wrapper when they happen while a body is sent.
        HttpRequestException { InnerException: IFailure inner } => inner.Kind,
        OperationCanceledException => FailureKind.Interrupted,
        HttpRequestException or TimeoutException or SocketException => FailureKind.Transient,
        // A stream that breaks mid-request; a file that cannot be read becomes the file's failure once retries run out.
        IOException => FailureKind.Transient,
        UnauthorizedAccessException => FailureKind.File,
        _ => FailureKind.Bug,
    };

    /// <summary>Worth another attempt: transient failures, and (briefly) a host that cannot be reached.</summary>
    public static bool IsTransient(Exception e) => Classify(e) is FailureKind.Transient or FailureKind.Unreachable;

    /// <summary>
    /// Failures that end one file's part in the run and no more: its own problems, transient ones whose retries
    /// ran out, and the unexpected (one odd file must not end a night's backup). Ctrl+C and the failures that end
    /// the run are not among them.
    /// </summary>
    public static bool FailsOneFile(Exception e) => Classify(e) is FailureKind.File or FailureKind.Transient or FailureKind.AlbumFull or FailureKind.Bug;
}
