namespace Q2Google.Api;

/// <summary>The <c>X-Goog-Upload-Command</c> values a resumable session accepts after <c>start</c>.</summary>
public enum UploadCommand
{
    Upload,
    UploadFinalize,
    Finalize,
    Query,
    Cancel,
}

public static class UploadCommandExtensions
{
    /// <summary>The exact header text; the docs write <c>upload, finalize</c> with a space.</summary>
    public static string ToHeaderValue(this UploadCommand command) => command switch
    {
        UploadCommand.Upload => "upload",
        UploadCommand.UploadFinalize => "upload, finalize",
        UploadCommand.Finalize => "finalize",
        UploadCommand.Query => "query",
        UploadCommand.Cancel => "cancel",
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, null),
    };
}
