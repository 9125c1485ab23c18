namespace Q2Google.Cli;

/// <summary>
/// A command line checked against <see cref="OptionTable"/> before ConsoleAppFramework sees it, because the
/// framework prints help and exits 0 for an unknown command, and lets a <c>params</c> argument swallow options
/// written after it. Help and the version are answered here too, from the table.
/// </summary>
/// <param name="Output">Text to print on stdout before exiting 0 (help, the version); null when a command runs.</param>
/// <param name="Arguments">For ConsoleAppFramework: command words, then the command's options, then positional arguments.</param>
/// <param name="Globals">The global options, which ConsoleAppFramework never sees.</param>
internal sealed record CommandLine(string? Output, string[] Arguments, GlobalOptions Globals)
{
    private static readonly string[] HelpTokens = ["-h", "--help"];

    /// <summary>Checks <paramref name="args"/>; throws <see cref="UsageException"/> with a one-line message.</summary>
    public static CommandLine Parse(string[] args)
    {
        if (args.Length == 0) throw new UsageException("no command given. See 'q2google --help'.");

        // Global options may come before the command; they are taken out wherever they are.
        var globals = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        for (; i < args.Length && args[i].StartsWith('-'); i++)
        {
            var (name, inline) = Split(args[i]);
            if (HelpTokens.Contains(name)) return Print(HelpText.Overview());
            if (name == "--version") return Print(CliApp.Version + Environment.NewLine);
            var option = OptionTable.Global.FirstOrDefault(o => o.Matches(name)) ?? throw new UsageException(
                $"unknown option '{name}' before the command{EndSentence(Suggestion.DidYouMean(name, [.. OptionTable.Global.Select(o => o.Name), .. HelpTokens, "--version"]))} See 'q2google --help'.");
            i = Take(option, inline, args, i, globals, "q2google --help");
        }

        var rest = args[i..];
        if (rest.Length == 0) throw new UsageException("no command given. See 'q2google --help'.");
        if (rest[0] == "help") return Print(HelpFor(rest[1..]));
        var spec = OptionTable.FindCommand(rest);
        if (spec is null)
        {
            // `q2google auth --help`: the group's commands.
            if (OptionTable.FindGroup(rest[0]) is { } group && rest.Skip(1).TakeWhile(t => t != "--").Any(t => HelpTokens.Contains(t)))
            {
                return Print(HelpText.Group(group));
            }

            throw NotACommand(rest);
        }

        var words = spec.Words;
        var options = new List<string>();
        var positionals = new List<string>();
        var escape = Array.IndexOf(rest, "--");
        if (rest.Skip(words.Length).Take(escape < 0 ? rest.Length : escape - words.Length).Any(t => HelpTokens.Contains(t)))
        {
            return Print(HelpText.Command(spec));
        }

        var hint = $"See 'q2google {spec.Path} --help'.";
        for (var j = words.Length; j < rest.Length; j++)
        {
            var token = rest[j];
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
            if (OptionTable.Global.FirstOrDefault(o => o.Matches(name)) is { } global)
            {
                j = Take(global, inline, rest, j, globals, $"q2google {spec.Path} --help");
                continue;
            }

            var option = spec.Options.FirstOrDefault(o => o.Matches(name)) ?? throw new UsageException(
                $"unknown option '{name}' for '{spec.Path}'{EndSentence(Suggestion.DidYouMean(name, [.. spec.Options.Select(o => o.Name), .. OptionTable.Global.Select(o => o.Name), .. HelpTokens]))} {hint}");
            if (option.IsFlag)
            {
                if (inline is not null) throw new UsageException($"option {name} takes no value. {hint}");
                options.Add(option.Name);
                continue;
            }

            var value = inline ?? (j + 1 < rest.Length ? rest[++j] : throw new UsageException($"option {name} needs a value. {hint}"));
            var earlier = options.IndexOf(option.Name);
            if (option.Repeatable && earlier >= 0)
            {
                options[earlier + 1] += "\n" + value;
                continue;
            }

            options.Add(option.Name);
            options.Add(value);
        }

        var argument = spec.Argument;
        if (positionals.Count < (argument?.Min ?? 0))
        {
            throw new UsageException($"'{spec.Path}' needs {(argument!.Max == 1 ? "an argument" : "at least one argument")} {argument.Name}. {hint}");
        }

        if (positionals.Count > (argument?.Max ?? 0))
        {
            throw new UsageException($"'{spec.Path}' takes {(argument is null ? "no arguments" : $"one {argument.Name}")}, but got '{positionals[argument?.Max ?? 0]}'. {hint}");
        }

        // A path that looks like an option would be taken for one by the framework.
        if (positionals.FirstOrDefault(p => p.StartsWith('-') && p != "-") is { } dashed)
        {
            throw new UsageException($"'{dashed}' looks like an option; write it as ./{dashed}. {hint}");
        }

        return new CommandLine(null, [.. words, .. options, .. positionals], new GlobalOptions(globals));
    }

    /// <summary><c>q2google help [COMMAND...]</c>; words after a command's name are left alone, as its --help would.</summary>
    private static string HelpFor(string[] words)
    {
        words = [.. words.Where(w => !HelpTokens.Contains(w))];
        if (words.Length == 0) return HelpText.Overview();
        if (OptionTable.FindCommand(words) is { } command) return HelpText.Command(command);
        if (words.Length == 1 && OptionTable.FindGroup(words[0]) is { } group) return HelpText.Group(group);
        throw NotACommand(words);
    }

    /// <summary>The words do not start with a command: a group without (or with a wrong) subcommand, or nothing known.</summary>
    private static UsageException NotACommand(string[] words)
    {
        if (OptionTable.FindGroup(words[0]) is { } group)
        {
            var names = OptionTable.InGroup(group.Name).Select(c => c.Words[1]).ToList();
            var hint = $"See 'q2google {group.Name} --help'.";
            if (words.Length == 1) return new UsageException($"'{group.Name}' needs a subcommand: {string.Join(", ", names)}. {hint}");
            var near = Suggestion.DidYouMean(words[1], names);
            return new UsageException(near.Length > 0
                ? $"unknown command '{group.Name} {words[1]}'{near} {hint}"
                : $"unknown command '{group.Name} {words[1]}'; '{group.Name}' has: {string.Join(", ", names)}. {hint}");
        }

        // A command's last word alone (`q2google login`) is near its whole name.
        var topLevel = OptionTable.Commands.Select(c => c.Words[0]).Append("help").ToList();
        var suggestion = Suggestion.DidYouMean(words[0], topLevel);
        if (suggestion.Length == 0)
        {
            var byLastWord = OptionTable.Commands.Where(c => c.Group is not null && Suggestion.Nearest(words[0], [c.Words[1]]).Count > 0).Select(c => c.Path).ToList();
            if (byLastWord.Count > 0) suggestion = $"; did you mean {string.Join(" or ", byLastWord)}?";
        }

        return new UsageException($"unknown command '{words[0]}'{EndSentence(suggestion)} See 'q2google --help'.");
    }

    /// <summary>A suggestion ends its sentence with "?"; without one the sentence ends with ".".</summary>
    private static string EndSentence(string suggestion) => suggestion.Length > 0 ? suggestion : ".";

    private static CommandLine Print(string text) => new(text, [], GlobalOptions.None);

    /// <summary>Stores a global option's value (or "" for a flag); returns the index of the last token it used.</summary>
    private static int Take(OptionSpec option, string? inline, string[] args, int at, Dictionary<string, string> globals, string help)
    {
        if (option.IsFlag)
        {
            if (inline is not null) throw new UsageException($"option {option.Name} takes no value. See '{help}'.");
            globals[option.Name] = "";
            return at;
        }

        globals[option.Name] = inline ?? (at + 1 < args.Length ? args[++at] : throw new UsageException($"option {option.Name} needs a value. See '{help}'."));
        return at;
    }

    private static (string Name, string? Inline) Split(string token)
    {
        var eq = token.IndexOf('=', StringComparison.Ordinal);
        return token.StartsWith("--", StringComparison.Ordinal) && eq > 0 ? (token[..eq], token[(eq + 1)..]) : (token, null);
    }
}
