using Q2Google.Failures;

namespace Q2Google.IO;

/// <summary>A path that is a FIFO, socket, device or folder where a file was expected; it was not read.</summary>
public sealed class NotRegularFileException(string path, FileKind kind)
    : IOException($"{path} is {kind.Describe()}, not a regular file; it was not opened"), IFailure
{
    FailureKind IFailure.Kind => FailureKind.File;

    public FileKind Kind { get; } = kind;
}
