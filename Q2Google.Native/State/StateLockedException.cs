using Q2Google.Failures;

namespace Q2Google.State;

/// <summary>Another run holds the lock of this library's state; the CLI exits 2 with the message.</summary>
internal sealed class StateLockedException(string message) : Exception(message), IFailure
{
    public FailureKind Kind => FailureKind.Configuration;
}
