namespace Q2Google.Tests.Infrastructure;

/// <summary>
/// The CLI as a person at a terminal meets it: util-linux <c>script</c> gives it a pseudo-terminal for stdin,
/// stdout and stderr, so everything it prints arrives on one stream, in the order the person sees it.
/// </summary>
internal static class PseudoTerminal
{
    public static async Task<CliResult> RunAsync(string home, IEnumerable<string> args, IDictionary<string, string?>? environment = null)
    {
        var result = await CliRunner.RunAsync(home, ScriptArguments(args), AtATerminal(environment), binary: "script");
        return result with { Stdout = Screen(result.Stdout) };
    }

    /// <summary>Starts it in the background, to watch the screen and type into it.</summary>
    public static CliProcess Start(string home, IEnumerable<string> args, IDictionary<string, string?> environment) =>
        new(home, ScriptArguments(args), AtATerminal(environment), binary: "script");

    /// <summary>A person, not CI: q2google offers a login only when <c>CI</c> is unset.</summary>
    private static Dictionary<string, string?> AtATerminal(IDictionary<string, string?>? environment) =>
        new(environment ?? new Dictionary<string, string?>()) { ["CI"] = null };

    /// <summary>
    /// The text as the screen shows it: the terminal's mode switches out, line ends as <c>\n</c>, and of a line
    /// redrawn with <c>\r</c> (the progress line) only what was drawn last.
    /// </summary>
    public static string Screen(string raw)
    {
        var text = raw.Replace("\u001b[?1h\u001b=", "", StringComparison.Ordinal).Replace("\u001b[?1l\u001b>", "", StringComparison.Ordinal)
            .Replace("\u001b[K", "", StringComparison.Ordinal).Replace("\r\n", "\n", StringComparison.Ordinal);
        return string.Join('\n', text.Split('\n').Select(line => line[(line.LastIndexOf('\r') + 1)..]));
    }

    // -q: no banner; -e: its exit code is the command's; -f: output as it comes; the typescript goes nowhere.
    private static string[] ScriptArguments(IEnumerable<string> args) =>
        ["-qefc", string.Join(' ', new[] { CliRunner.BuiltBinary }.Concat(args).Select(Quote)), "/dev/null"];

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
