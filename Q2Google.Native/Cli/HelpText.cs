using System.Text;

namespace Q2Google.Cli;

/// <summary>
/// The help q2google prints, written from <see cref="OptionTable"/> (not ConsoleAppFramework's, which shows
/// C# types and literals, and every global option on every command).
/// </summary>
internal static class HelpText
{
    private const int Width = 80;

    /// <summary>Left columns longer than this put their description on the next line.</summary>
    private const int MaxLeft = 26;

    private const char NoBreak = '\u00a0';

    /// <summary><c>q2google --help</c>: the commands by group, the global options once, the environment.</summary>
    public static string Overview()
    {
        var text = new StringBuilder();
        Paragraph(text, $"q2google {CliApp.Version}: back up photos and videos to Google Photos, resuming where it stopped.");
        text.AppendLine();
        text.AppendLine("Usage: q2google COMMAND [options] [ARGUMENTS]");
        text.AppendLine("       q2google help [COMMAND]");
        text.AppendLine();
        text.AppendLine("Commands:");
        var rows = new List<(string, string)>();
        string? previousGroup = null;
        foreach (var command in OptionTable.Commands)
        {
            if (rows.Count > 0 && (command.Group is not null || previousGroup is not null) && command.Group != previousGroup) rows.Add(("", ""));
            rows.Add((command.Synopsis, command.Summary));
            previousGroup = command.Group;
        }

        rows.Add(("", ""));
        rows.Add(("help [COMMAND]", "Show a command's help, or this one."));
        Table(text, rows);
        text.AppendLine();
        text.AppendLine("Global options (every command takes them, before or after its name):");
        Table(text, [.. OptionTable.Global.Select(Row), ("-h, --help", "Show help."), ("--version", "Print the version.")]);
        text.AppendLine();
        text.AppendLine("Environment:");
        Table(text, [.. OptionTable.EnvironmentSettings.Select(e => (e.Name, e.Help + Default(e.Default)))]);
        text.AppendLine();
        text.AppendLine("'q2google COMMAND --help' or 'q2google help COMMAND' shows a command's options.");
        return text.ToString();
    }

    /// <summary><c>q2google auth --help</c>: the group's commands.</summary>
    public static string Group(GroupSpec group)
    {
        var text = new StringBuilder();
        text.Append("Usage: q2google ").Append(group.Name).AppendLine(" COMMAND [options]");
        text.AppendLine();
        Paragraph(text, group.Summary);
        text.AppendLine();
        text.AppendLine("Commands:");
        Table(text, [.. OptionTable.InGroup(group.Name).Select(c => (c.Synopsis, c.Summary))]);
        text.AppendLine();
        Paragraph(text, $"'q2google {group.Name} COMMAND --help' shows a command's options; global options: see 'q2google --help'.");
        return text.ToString();
    }

    /// <summary><c>q2google upload --help</c>: usage, summary, argument and the command's own options.</summary>
    public static string Command(CommandSpec command)
    {
        var text = new StringBuilder();
        text.Append("Usage: q2google ").Append(command.Path).Append(" [options]");
        if (command.Argument is { } argument) text.Append(' ').Append(argument.Min == 0 ? $"[{argument.Synopsis}]" : argument.Synopsis);
        text.AppendLine();
        text.AppendLine();
        Paragraph(text, command.Summary);
        if (command.Argument is { } described)
        {
            text.AppendLine();
            text.AppendLine("Arguments:");
            Table(text, [(described.Synopsis, described.Help)]);
        }

        text.AppendLine();
        text.AppendLine("Options:");
        Table(text, [.. command.Options.Select(Row), ("-h, --help", "Show this help.")]);
        text.AppendLine();
        text.AppendLine("Global options: see 'q2google --help'.");
        return text.ToString();
    }

    private static (string, string) Row(OptionSpec option) =>
        (option.Synopsis, option.Help + (option.Repeatable ? " Repeatable." : "") + Default(option.Default)
            + (option.Environment is { } name ? " " + Unbroken($"[env: {name}]") : ""));

    private static string Default(string? value) => value is null ? "" : " " + Unbroken($"[default: {value}]");

    /// <summary>Kept on one line by <see cref="Wrap"/>.</summary>
    private static string Unbroken(string text) => text.Replace(' ', NoBreak);

    private static void Paragraph(StringBuilder text, string words)
    {
        foreach (var line in Wrap(words, Width)) text.AppendLine(line);
    }

    /// <summary>Two columns; an empty row is a blank line.</summary>
    private static void Table(StringBuilder text, IReadOnlyList<(string Left, string Right)> rows)
    {
        var column = 2 + Math.Min(MaxLeft, rows.Max(r => r.Left.Length)) + 2;
        foreach (var (left, right) in rows)
        {
            if (left.Length == 0)
            {
                text.AppendLine();
                continue;
            }

            var lines = Wrap(right, Width - column);
            var first = "  " + left;
            if (first.Length + 2 > column)
            {
                text.AppendLine(first);
                foreach (var line in lines) text.Append(' ', column).AppendLine(line);
                continue;
            }

            text.Append(first.PadRight(column)).AppendLine(lines[0]);
            foreach (var line in lines.Skip(1)) text.Append(' ', column).AppendLine(line);
        }
    }

    private static List<string> Wrap(string words, int width)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in words.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }

            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }

        lines.Add(line.ToString());
        return [.. lines.Select(l => l.Replace(NoBreak, ' '))];
    }
}
