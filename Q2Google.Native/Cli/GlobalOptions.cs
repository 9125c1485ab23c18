namespace Q2Google.Cli;

/// <summary>The options every command takes; empty strings mean "not given" (then environment, then default).</summary>
public sealed record GlobalOptions(string ApiUrl, string Token, string ConfigDir, string ClientSecrets, string StateDir, bool Quiet, string CaBundle);
