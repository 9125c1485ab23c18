using Q2Google.Failures;

namespace Q2Google.IO;

/// <summary>
/// A file or folder q2google keeps its state in could be used against the user: a symbolic link where a file
/// should be, a folder owned by someone else or writable by others. Nothing is written; the CLI exits 2 with
/// the message, which names the path and the fix. Deliberately not an <see cref="IOException"/>, which the
/// upload path treats as one file's problem.
/// </summary>
public sealed class UnsafeFileException(string message) : Exception(message), IFailure
{
    public FailureKind Kind => FailureKind.Configuration;
}
