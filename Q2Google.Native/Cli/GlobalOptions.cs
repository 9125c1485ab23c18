namespace Q2Google.Cli;

/// <summary>
/// The global options (<see cref="OptionTable.Global"/>) given on this command line, by name; a flag given has
/// the value "". <see cref="CommandLine"/> takes them out of the arguments, so ConsoleAppFramework never sees them.
/// </summary>
internal sealed class GlobalOptions(IReadOnlyDictionary<string, string> given)
{
    public static readonly GlobalOptions None = new(new Dictionary<string, string>());

    /// <summary>The option's value; null when it was not given, or given empty (then its environment variable counts).</summary>
    public string? this[OptionSpec option] => given.TryGetValue(option.Name, out var value) && value.Length > 0 ? value : null;

    public bool Has(OptionSpec option) => given.ContainsKey(option.Name);
}
