using Q2Google.Failures;

namespace Q2Google.Api;

/// <summary>The file on disk no longer matches what we started uploading; retrying the same session cannot help.</summary>
public sealed class FileChangedException(string message) : IOException(message), IFailure
{
    public FailureKind Kind => FailureKind.File;
}
