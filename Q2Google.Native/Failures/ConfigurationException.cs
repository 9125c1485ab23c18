namespace Q2Google.Failures;

/// <summary>A setting, file or argument is unusable; the CLI turns it into exit code 2.</summary>
public sealed class ConfigurationException(string message, Exception? inner = null) : Exception(message, inner), IFailure
{
    public FailureKind Kind => FailureKind.Configuration;
}
