using Q2Google.Failures;

namespace Q2Google.State;

/// <summary>
/// The journal could not be written (disk full, I/O error, read-only file system). Nothing more can be done
/// safely, so the run stops at once: without the journal, the next run could not know what this one created.
/// Deliberately not an <see cref="IOException"/>, which the upload path treats as one file's problem.
/// </summary>
internal sealed class JournalWriteException(string path, Exception inner)
    : Exception($"cannot write the journal {path} ({inner.Message}): stopped at once so that nothing is forgotten; " +
                "free space (or fix the file system) and run the same command again, it continues where this run stopped", inner), IFailure
{
    public FailureKind Kind => FailureKind.Run;
}
