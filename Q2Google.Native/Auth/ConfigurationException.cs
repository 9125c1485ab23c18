namespace Q2Google.Auth;

/// <summary>A setting, file or argument is unusable; the CLI turns it into exit code 2.</summary>
public sealed class ConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
