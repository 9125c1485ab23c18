using Q2Google.Failures;

namespace Q2Google.Cli;

/// <summary>The command line itself is wrong (unknown option, missing argument): exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message), IFailure
{
    public FailureKind Kind => FailureKind.Usage;
}
