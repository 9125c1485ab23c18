namespace Q2Google.Cli;

/// <summary>
/// The shape of every command: its words, its options and how many positional arguments it takes. The CLI
/// checks a command line against this before ConsoleAppFramework sees it, because the framework prints help
/// and exits 0 for an unknown command, and lets a <c>params</c> argument swallow options written after it.
/// </summary>
internal static class CommandTable
{
    public sealed record Spec(string Path, string[] Flags, string[] Values, int MinArgs, int MaxArgs, string ArgName);

    /// <summary>Options every command accepts (ConsoleAppFramework's global options).</summary>
    public static readonly string[] GlobalValues = ["--api-url", "--token", "--config-dir", "--client-secrets", "--state-dir", "--ca-bundle"];
    public static readonly string[] GlobalFlags = ["--quiet", "-q"];

    public static readonly Spec[] Commands =
    [
        new("upload", ["--json", "--dry-run", "--force", "--album-per-folder"],
            ["--album", "--album-id", "--description", "--include", "--exclude", "--concurrency", "--chunk-size", "--max-requests"],
            1, int.MaxValue, "PATH"),
        new("status", ["--json"], [], 0, 0, ""),
        new("media get", ["--json"], [], 1, 1, "ID"),
        new("media list", ["--json"], ["--album-id"], 0, 0, ""),
        new("albums list", ["--json"], [], 0, 0, ""),
        new("albums create", ["--json"], [], 1, 1, "TITLE"),
        new("auth login", ["--no-browser"], ["--scopes", "--port", "--timeout"], 0, 0, ""),
        new("auth status", ["--json", "--check"], [], 0, 0, ""),
        new("auth logout", ["--revoke"], [], 0, 0, ""),
        new("auth export", [], [], 0, 0, ""),
        new("auth import", [], [], 1, 1, "FILE"),
        new("emulator", ["--deny-consent", "--lower-case-headers", "--omit-size-received"],
            ["--port", "--data-dir", "--granularity", "--daily-quota", "--per-minute-quota", "--retry-after",
             "--access-token-lifetime", "--refresh-token-lifetime", "--album-limit", "--fail-rate", "--reset-rate",
             "--rate-limit-rate", "--seed", "--tls-cert", "--tls-key", "--host-name", "--latency", "--account-email", "--account-sub"],
            0, 0, ""),
    ];

    private static readonly string[] HelpTokens = ["-h", "--help"];

    /// <summary>Options that may be given several times; their values reach the command joined by newlines.</summary>
    private static readonly string[] Repeatable = ["--include", "--exclude"];

    /// <summary>
    /// Checks <paramref name="args"/> and returns them in the order ConsoleAppFramework binds reliably:
    /// command words, then options, then positional arguments. Throws <see cref="UsageException"/>.
    /// Returns null when the framework should just print help or the version.
    /// </summary>
    public static string[]? Normalize(string[] args)
    {
        if (args.Length == 0) throw new UsageException("no command given. See 'q2google --help'.");
        if (args.Length == 1 && (HelpTokens.Contains(args[0]) || args[0] == "--version")) return null;

        // Global options may come before the command; the framework only looks for them after it.
        var leading = new List<string>();
        var i = 0;
        while (i < args.Length && args[i].StartsWith('-'))
        {
            var (name, inline) = Split(args[i]);
            if (GlobalFlags.Contains(name))
            {
                leading.Add(name);
                i++;
            }
            else if (GlobalValues.Contains(name))
            {
                leading.Add(name);
                leading.Add(inline ?? (i + 1 < args.Length ? args[++i] : throw new UsageException($"option {name} needs a value. See 'q2google --help'.")));
                i++;
            }
            else if (HelpTokens.Contains(name) || name == "--version")
            {
                return null;
            }
            else
            {
                throw new UsageException($"unknown option '{args[i]}' before the command. See 'q2google --help'.");
            }
        }

        var rest = args[i..];
        var spec = Commands
            .Where(c => c.Path.Split(' ') is var words && words.Length <= rest.Length && words.SequenceEqual(rest[..words.Length]))
            .MaxBy(c => c.Path.Length);
        if (spec is null)
        {
            if (rest.Length == 0) throw new UsageException("no command given. See 'q2google --help'.");
            var group = Commands.Where(c => c.Path.StartsWith(rest[0] + " ", StringComparison.Ordinal)).Select(c => c.Path.Split(' ')[1]).ToList();
            if (group.Count > 0)
            {
                if (rest.Length == 1 || HelpTokens.Contains(rest[1])) throw new UsageException(
                    $"'{rest[0]}' needs a subcommand: {string.Join(", ", group)}. See 'q2google {rest[0]} {group[0]} --help'.");
                throw new UsageException($"unknown command '{rest[0]} {rest[1]}'; '{rest[0]}' has: {string.Join(", ", group)}. See 'q2google --help'.");
            }

            throw new UsageException($"unknown command '{rest[0]}'. See 'q2google --help'.");
        }

        var words = spec.Path.Split(' ');
        var options = new List<string>(leading);
        var positionals = new List<string>();
        for (var j = words.Length; j < rest.Length; j++)
        {
            var token = rest[j];
            if (HelpTokens.Contains(token)) return [.. words, "--help"];
            if (token == "--")
            {
                positionals.AddRange(rest[(j + 1)..]);
                break;
            }

            if (!token.StartsWith('-') || token == "-")
            {
                positionals.Add(token);
                continue;
            }

            var (name, inline) = Split(token);
            if (spec.Flags.Contains(name) || GlobalFlags.Contains(name))
            {
                if (inline is not null) throw new UsageException($"option {name} takes no value. See 'q2google {spec.Path} --help'.");
                options.Add(name);
            }
            else if (spec.Values.Contains(name) || GlobalValues.Contains(name))
            {
                var value = inline ?? (j + 1 < rest.Length ? rest[++j] : null);
                if (value is null) throw new UsageException($"option {name} needs a value. See 'q2google {spec.Path} --help'.");
                var earlier = options.IndexOf(name);
                if (Repeatable.Contains(name) && earlier >= 0)
                {
                    options[earlier + 1] += "\n" + value;
                    continue;
                }

                options.Add(name);
                options.Add(value);
            }
            else
            {
                throw new UsageException($"unknown option '{name}' for '{spec.Path}'. See 'q2google {spec.Path} --help'.");
            }
        }

        if (positionals.Count < spec.MinArgs)
        {
            throw new UsageException($"'{spec.Path}' needs {(spec.MaxArgs == 1 ? "an argument" : "at least one argument")} {spec.ArgName}. See 'q2google {spec.Path} --help'.");
        }

        if (positionals.Count > spec.MaxArgs)
        {
            throw new UsageException($"'{spec.Path}' takes {(spec.MaxArgs == 0 ? "no arguments" : $"one {spec.ArgName}")}, but got '{positionals[spec.MaxArgs]}'. See 'q2google {spec.Path} --help'.");
        }

        // A path that looks like an option would be taken for one by the framework.
        if (positionals.FirstOrDefault(p => p.StartsWith('-') && p != "-") is { } dashed)
        {
            throw new UsageException($"'{dashed}' looks like an option; write it as ./{dashed}. See 'q2google {spec.Path} --help'.");
        }

        return [.. words, .. options, .. positionals];
    }

    private static (string Name, string? Inline) Split(string token)
    {
        var eq = token.IndexOf('=', StringComparison.Ordinal);
        return token.StartsWith("--", StringComparison.Ordinal) && eq > 0 ? (token[..eq], token[(eq + 1)..]) : (token, null);
    }
}
