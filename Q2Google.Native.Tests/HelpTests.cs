using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Q2Google.Cli;
using Q2Google.Tests.Infrastructure;

namespace Q2Google.Tests;

/// <summary>
/// The help q2google writes from <see cref="OptionTable"/>, its "did you mean", and the table itself against the
/// command methods ConsoleAppFramework binds (the generator reads the methods, q2google reads the table).
/// </summary>
public class HelpTests
{
    /// <summary>Every command and the method ConsoleAppFramework runs for it (CliApp registers the classes).</summary>
    private static readonly (string Path, Type Class, string Method)[] CommandMethods =
    [
        ("upload", typeof(UploadCommands), nameof(UploadCommands.Upload)),
        ("run", typeof(RunCommands), nameof(RunCommands.Run)),
        ("status", typeof(StatusCommands), nameof(StatusCommands.Status)),
        ("verify", typeof(VerifyCommands), nameof(VerifyCommands.Verify)),
        ("albums list", typeof(AlbumCommands), nameof(AlbumCommands.List)),
        ("albums create", typeof(AlbumCommands), nameof(AlbumCommands.Create)),
        ("media get", typeof(MediaCommands), nameof(MediaCommands.Get)),
        ("media list", typeof(MediaCommands), nameof(MediaCommands.List)),
        ("auth login", typeof(AuthCommands), nameof(AuthCommands.Login)),
        ("auth status", typeof(AuthCommands), nameof(AuthCommands.Status)),
        ("auth logout", typeof(AuthCommands), nameof(AuthCommands.Logout)),
        ("auth export", typeof(AuthCommands), nameof(AuthCommands.Export)),
        ("auth import", typeof(AuthCommands), nameof(AuthCommands.Import)),
        ("emulator", typeof(EmulatorCommands), nameof(EmulatorCommands.Emulator)),
    ];

    [Test]
    public async Task OptionTable_MatchesTheCommandMethods_NamesFlagsArgumentsAndDefaults()
    {
        var methods = typeof(CliApp).Assembly.GetTypes()
            .Where(t => t.Namespace == "Q2Google.Cli" && t.Name.EndsWith("Commands", StringComparison.Ordinal))
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Select(m => $"{t.Name}.{m.Name}"));
        var problems = new List<string>();

        foreach (var (path, type, name) in CommandMethods)
        {
            var spec = OptionTable.Commands.SingleOrDefault(c => c.Path == path);
            if (spec is null)
            {
                problems.Add($"'{path}' is not in OptionTable.Commands");
                continue;
            }

            var parameters = type.GetMethod(name)!.GetParameters().Where(p => p.ParameterType != typeof(CancellationToken)).ToList();
            var argument = parameters.SingleOrDefault(p => p.GetCustomAttributes().Any(a => a.GetType().Name == "ArgumentAttribute"));
            problems.AddRange(ArgumentProblems(spec, argument));

            var options = parameters.Where(p => p != argument).ToDictionary(p => "--" + KebabCase(p.Name!), p => p);
            foreach (var missing in spec.Options.Where(o => !options.ContainsKey(o.Name))) problems.Add($"'{path}': the table has {missing.Name}, {name}() has no parameter for it");
            foreach (var (option, parameter) in options)
            {
                var declared = spec.Options.FirstOrDefault(o => o.Name == option);
                if (declared is null)
                {
                    problems.Add($"'{path}': {name}({parameter.Name}) binds {option}, which the table does not declare");
                    continue;
                }

                problems.AddRange(OptionProblems(path, declared, parameter));
            }
        }

        await Assert.That(string.Join("\n", problems)).IsEmpty();
        await Assert.That(methods).IsEquivalentTo(CommandMethods.Select(c => $"{c.Class.Name}.{c.Method}"));
        await Assert.That(OptionTable.Commands.Select(c => c.Path)).IsEquivalentTo(CommandMethods.Select(c => c.Path));
    }

    [Test]
    public async Task OptionTable_NamesAreUnique_ValuesNamed_VariablesOurs()
    {
        var problems = new List<string>();
        foreach (var command in OptionTable.Commands)
        {
            var names = command.Options.Concat(OptionTable.Global).SelectMany(o => o.Short is null ? [o.Name] : new[] { o.Name, o.Short }).ToList();
            problems.AddRange(names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => $"'{command.Path}': {g.Key} twice"));
            if (command.Group is { } group && OptionTable.FindGroup(group) is null) problems.Add($"'{command.Path}': no group '{group}'");
        }

        foreach (var option in OptionTable.Commands.SelectMany(c => c.Options).Concat(OptionTable.Global))
        {
            if (option.Value is { } value && !Regex.IsMatch(value, "^[A-Z]+$")) problems.Add($"{option.Name}: value name '{value}' is not a WORD");
            if (option.Default is "") problems.Add($"{option.Name}: an empty default shows nothing; leave it null");
        }

        var variables = OptionTable.Global.Select(o => o.Environment).OfType<string>().Concat(OptionTable.EnvironmentSettings.Select(e => e.Name)).ToList();
        problems.AddRange(variables.Where(v => !v.StartsWith("Q2GOOGLE_", StringComparison.Ordinal)).Select(v => $"{v} is not a Q2GOOGLE_ variable"));
        problems.AddRange(variables.GroupBy(v => v).Where(g => g.Count() > 1).Select(g => $"{g.Key} twice"));

        await Assert.That(string.Join("\n", problems)).IsEmpty();
        await Assert.That(OptionTable.AlbumItemLimit.Default).IsEqualTo(CliSettings.GoogleAlbumItemLimit.ToString(CultureInfo.InvariantCulture));
    }

    [Test]
    [Arguments("--help")]
    [Arguments("-h")]
    [Arguments("help")]
    public async Task Help_Overview_ListsEveryCommand_AndEachGlobalOptionOnceWithItsVariable(string asked)
    {
        using var home = new TempDir();

        var result = await CliRunner.RunAsync(home.Path, [asked]);

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(result.Stderr).IsEmpty();
        var help = result.Stdout;
        await Assert.That(help).Contains("Usage: q2google");
        foreach (var command in OptionTable.Commands) await Assert.That(help).Contains("  " + command.Path);
        foreach (var option in OptionTable.Global)
        {
            await Assert.That(Occurrences(help, option.Name)).IsEqualTo(1).Because(option.Name);
            if (option.Environment is { } variable) await Assert.That(help).Contains($"[env: {variable}]");
        }

        foreach (var setting in OptionTable.EnvironmentSettings) await Assert.That(help).Contains(setting.Name);
        foreach (var leftover in new[] { "@\"", "<string", "[Default: null]", "[0]" }) await Assert.That(help).DoesNotContain(leftover);
    }

    [Test]
    public async Task Help_Upload_UsageArgumentDefaults_WithoutTheGlobalOptions()
    {
        using var home = new TempDir();

        var result = await CliRunner.RunAsync(home.Path, ["upload", "--help"]);
        var viaHelp = await CliRunner.RunAsync(home.Path, ["help", "upload"]);
        var afterArguments = await CliRunner.RunAsync(home.Path, ["-q", "upload", "a.jpg", "--bogus", "-h"]);

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        var help = result.Stdout;
        await Assert.That(help).Contains("Usage: q2google upload [options] PATH...");
        await Assert.That(help).Contains(OptionTable.Commands[0].Summary[..40]);
        var chunkSize = help[help.IndexOf("--chunk-size SIZE", StringComparison.Ordinal)..help.IndexOf("--max-requests", StringComparison.Ordinal)];
        await Assert.That(chunkSize).Contains("[default: 16M]");
        await Assert.That(help).Contains("--include GLOB");
        await Assert.That(help).Contains("Global options: see 'q2google --help'.");
        foreach (var option in OptionTable.Global) await Assert.That(Occurrences(help, option.Name)).IsEqualTo(0).Because(option.Name);
        foreach (var leftover in new[] { "@\"", "<string", "[Default: null]", "[0]" }) await Assert.That(help).DoesNotContain(leftover);
        await Assert.That(viaHelp.ExitCode).IsEqualTo(0);
        await Assert.That(viaHelp.Stdout).IsEqualTo(help);
        await Assert.That(afterArguments.ExitCode).IsEqualTo(0).Because(afterArguments.ToString());
        await Assert.That(afterArguments.Stdout).IsEqualTo(help);
    }

    [Test]
    [Arguments("auth")]
    [Arguments("albums")]
    [Arguments("media")]
    public async Task Help_Group_ListsItsCommands_Exit0(string group)
    {
        using var home = new TempDir();

        var result = await CliRunner.RunAsync(home.Path, [group, "--help"]);
        var viaHelp = await CliRunner.RunAsync(home.Path, ["help", group]);

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(result.Stdout).Contains($"Usage: q2google {group} COMMAND");
        foreach (var command in OptionTable.InGroup(group)) await Assert.That(result.Stdout).Contains(command.Path + " ").Because(command.Path);
        foreach (var other in OptionTable.Commands.Where(c => c.Group != group)) await Assert.That(result.Stdout).DoesNotContain("  " + other.Path + " ");
        await Assert.That(viaHelp.ExitCode).IsEqualTo(0);
        await Assert.That(viaHelp.Stdout).IsEqualTo(result.Stdout);
    }

    [Test]
    public async Task Help_EveryPage_FitsIn80Columns()
    {
        var pages = new[] { HelpText.Overview() }
            .Concat(OptionTable.Groups.Select(HelpText.Group))
            .Concat(OptionTable.Commands.Select(HelpText.Command));

        var wide = pages.SelectMany(p => p.Split('\n')).Where(line => line.TrimEnd('\r').Length > 80).ToList();

        await Assert.That(string.Join("\n", wide)).IsEmpty();
    }

    [Test]
    public async Task Help_Subcommand_ByHelpOrOption_Exit0()
    {
        using var home = new TempDir();

        var viaHelp = await CliRunner.RunAsync(home.Path, ["help", "auth", "login"]);
        var viaOption = await CliRunner.RunAsync(home.Path, ["auth", "login", "--help"]);
        var import = await CliRunner.RunAsync(home.Path, ["auth", "import", "-h"]);
        var extraWords = await CliRunner.RunAsync(home.Path, ["help", "auth", "login", "now"]);

        await Assert.That(viaHelp.ExitCode).IsEqualTo(0).Because(viaHelp.ToString());
        await Assert.That(viaHelp.Stdout).Contains("Usage: q2google auth login [options]");
        await Assert.That(viaHelp.Stdout).Contains("--no-browser");
        await Assert.That(viaHelp.Stdout).Contains("[default: append,read]");
        await Assert.That(viaOption.Stdout).IsEqualTo(viaHelp.Stdout);
        await Assert.That(extraWords.Stdout).IsEqualTo(viaHelp.Stdout);
        await Assert.That(import.ExitCode).IsEqualTo(0);
        await Assert.That(import.Stdout).Contains("Usage: q2google auth import [options] FILE");
    }

    [Test]
    [Arguments(new[] { "upload", "x", "--albm", "y" }, "unknown option '--albm' for 'upload'; did you mean --album?")]
    [Arguments(new[] { "uplod" }, "unknown command 'uplod'; did you mean upload?")]
    [Arguments(new[] { "auth", "logn" }, "unknown command 'auth logn'; did you mean login?")]
    [Arguments(new[] { "status", "--jsno" }, "did you mean --json?")]
    [Arguments(new[] { "login" }, "did you mean auth login?")]
    [Arguments(new[] { "help", "albums", "lst" }, "did you mean list?")]
    [Arguments(new[] { "upload", "x", "--dry" }, "did you mean --dry-run?")]
    public async Task Mistyped_Exit2_OneLineWithNearestName(string[] args, string message)
    {
        using var home = new TempDir();

        var result = await CliRunner.RunAsync(home.Path, args);

        await Assert.That(result.ExitCode).IsEqualTo(2).Because(result.ToString());
        await Assert.That(result.Stdout).IsEmpty();
        await Assert.That(result.Stderr.Trim().Split('\n').Length).IsEqualTo(1);
        await Assert.That(result.Stderr).Contains(message);
        await Assert.That(result.Stderr).Contains("--help'.");
    }

    [Test]
    [Arguments(new[] { "frobnicate" }, "unknown command 'frobnicate'. See 'q2google --help'.")]
    [Arguments(new[] { "media", "x" }, "'media' has: get, list. See 'q2google media --help'.")]
    [Arguments(new[] { "upload", "x", "-z" }, "unknown option '-z' for 'upload'. See")]
    public async Task Mistyped_NothingNear_NoSuggestion(string[] args, string message)
    {
        using var home = new TempDir();

        var result = await CliRunner.RunAsync(home.Path, args);

        await Assert.That(result.ExitCode).IsEqualTo(2).Because(result.ToString());
        await Assert.That(result.Stderr).Contains(message);
        await Assert.That(result.Stderr).DoesNotContain("did you mean");
    }

    [Test]
    [Arguments("uplod", "upload", 1)]
    [Arguments("lgoin", "login", 1)]
    [Arguments("--albm", "--album", 1)]
    [Arguments("stauts", "status", 1)]
    [Arguments("emulatr", "emulator", 1)]
    [Arguments("", "abc", 3)]
    public async Task Distance_CountsInsertsDeletesReplacesAndSwaps(string a, string b, int expected) =>
        await Assert.That(Suggestion.Distance(a, b)).IsEqualTo(expected);

    [Test]
    public async Task Nearest_TiesAllNamed_TooShortOrAmbiguousPrefixNothing()
    {
        await Assert.That(Suggestion.Nearest("-x", ["-q", "--json"])).IsEmpty();
        await Assert.That(Suggestion.Nearest("--alb", ["--album", "--album-id", "--album-per-folder"])).IsEquivalentTo(new[] { "--album" });
        await Assert.That(Suggestion.Nearest("--albumid", ["--album", "--album-id", "--album-per-folder"])).IsEquivalentTo(new[] { "--album-id" });
        await Assert.That(Suggestion.Nearest("stats", ["status", "state"])).IsEquivalentTo(new[] { "status", "state" });
        await Assert.That(Suggestion.Nearest("--album-per", ["--album", "--album-id", "--album-per-folder"])).IsEquivalentTo(new[] { "--album-per-folder" });
        await Assert.That(Suggestion.Nearest("--c", ["--concurrency", "--chunk-size"])).IsEmpty();
    }

    [Test]
    public async Task AlbumItemLimit_NotANumberFrom1To20000_Exit2BeforeAnythingRuns()
    {
        using var home = new TempDir();

        var result = await CliRunner.RunAsync(home.Path, ["status"], new Dictionary<string, string?> { ["Q2GOOGLE_ALBUM_ITEM_LIMIT"] = "lots" });

        await Assert.That(result.ExitCode).IsEqualTo(2).Because(result.ToString());
        await Assert.That(result.Stderr.Trim()).IsEqualTo("q2google: Q2GOOGLE_ALBUM_ITEM_LIMIT 'lots' must be a whole number from 1 to 20000. See 'q2google --help'.");
    }

    [Test]
    public async Task GlobalOptions_BeforeOrAfterTheCommand_ReachTheSettings()
    {
        using var home = new TempDir();
        var before = home.Combine("before");
        var after = home.Combine("after");

        var first = await CliRunner.RunAsync(home.Path, ["--state-dir", before, "status", "--json"]);
        var second = await CliRunner.RunAsync(home.Path, ["status", "--json", $"--state-dir={after}", "-q"]);
        var fromEnvironment = await CliRunner.RunAsync(home.Path, ["status", "--json"], new Dictionary<string, string?> { ["Q2GOOGLE_STATE_DIR"] = after });

        await Assert.That(first.ExitCode).IsEqualTo(0).Because(first.ToString());
        await Assert.That(first.Stdout).Contains($"\"stateDir\":\"{before}\"");
        await Assert.That(second.ExitCode).IsEqualTo(0).Because(second.ToString());
        await Assert.That(second.Stdout).Contains($"\"stateDir\":\"{after}\"");
        await Assert.That(fromEnvironment.Stdout).Contains($"\"stateDir\":\"{after}\"");
    }

    private static IEnumerable<string> ArgumentProblems(CommandSpec spec, ParameterInfo? parameter)
    {
        var argument = spec.Argument;
        if (parameter is null || argument is null)
        {
            if (parameter is not null) yield return $"'{spec.Path}': [Argument] {parameter.Name} is not in the table";
            if (argument is not null) yield return $"'{spec.Path}': the table has {argument.Name}, the method no [Argument]";
            yield break;
        }

        var upper = parameter.Name!.ToUpperInvariant();
        var many = parameter.IsDefined(typeof(ParamArrayAttribute));
        if (upper != argument.Name && upper != argument.Name + "S") yield return $"'{spec.Path}': argument {argument.Name}, parameter {parameter.Name}";
        if (many != argument.Max > 1) yield return $"'{spec.Path}': {argument.Name} takes up to {argument.Max}, parameter {parameter.Name} is {(many ? "" : "not ")}params";
        if (!many && (argument.Min, argument.Max) != (1, 1)) yield return $"'{spec.Path}': a single [Argument] is needed exactly once";
    }

    private static IEnumerable<string> OptionProblems(string path, OptionSpec option, ParameterInfo parameter)
    {
        var isBool = parameter.ParameterType == typeof(bool);
        if (isBool != option.IsFlag) yield return $"'{path}': {option.Name} is {(option.IsFlag ? "a flag" : "a value")} in the table, {parameter.ParameterType.Name} in the method";
        if (option.Repeatable && parameter.ParameterType != typeof(string)) yield return $"'{path}': repeatable {option.Name} arrives as newline-joined text, so it must be a string";
        if (!isBool && parameter.HasDefaultValue && parameter.DefaultValue is { } value && Convert.ToString(value, CultureInfo.InvariantCulture) is { Length: > 0 } shown
            && shown != option.Default)
        {
            yield return $"'{path}': {option.Name} defaults to {shown} in the method, help says {option.Default ?? "nothing"}";
        }
    }

    /// <summary>How ConsoleAppFramework names an option after its parameter: <c>dryRun</c> is <c>--dry-run</c>.</summary>
    private static string KebabCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>How often <paramref name="option"/> appears as a whole option name (not inside a longer one).</summary>
    private static int Occurrences(string text, string option) =>
        Regex.Matches(text, $@"(?<![\w-]){Regex.Escape(option)}(?![\w-])").Count;
}
