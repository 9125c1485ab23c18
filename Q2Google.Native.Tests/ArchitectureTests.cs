using System.Text.RegularExpressions;

namespace Q2Google.Tests;

/// <summary>
/// The house rules of docs/architecture.md, checked on the source: dependencies point one way, comments cite
/// documents that are in the repository (and sections that exist), and a file says one thing.
/// </summary>
public partial class ArchitectureTests
{
    /// <summary>What each folder of Q2Google.Native/ may use besides itself.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Failures"] = [],
        ["IO"] = ["Failures"],
        ["Http"] = ["Failures", "IO"],
        ["Api"] = ["Http", "IO", "Failures"],
        ["Auth"] = ["Http", "IO", "Failures"],
        ["State"] = ["IO", "Failures"],
        ["Upload"] = ["State", "Api", "Http", "IO", "Failures"],
        ["Emulator"] = ["Http", "IO", "Failures"],
        ["Cli"] = ["Upload", "State", "Api", "Auth", "Emulator", "Http", "IO", "Failures"],
    };

    private static string Root
    {
        get
        {
            var dir = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(dir, "Q2Google.slnx"))) dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("no repository root above the tests");
            return dir;
        }
    }

    private static IEnumerable<string> ProductFiles() =>
        Directory.EnumerateFiles(Path.Combine(Root, "Q2Google.Native"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal));

    private static IEnumerable<string> AllSourceFiles() =>
        ProductFiles().Concat(Directory.EnumerateFiles(Path.Combine(Root, "Q2Google.Native.Tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)));

    private static string FolderOf(string file) => Path.GetRelativePath(Path.Combine(Root, "Q2Google.Native"), file).Split('/')[0];

    [GeneratedRegex(@"(?:using Q2Google\.(?<ns>[A-Za-z]+);|\bQ2Google\.(?<ns>[A-Z][A-Za-z]+)\.|(?<![\w.])(?<ns>Api|Auth|State|Upload|Emulator|Cli|IO|Http|Failures)\.[A-Z])")]
    private static partial Regex Reference();

    [Test]
    public async Task Folders_DependOnlyDownward()
    {
        var violations = new List<string>();
        foreach (var file in ProductFiles())
        {
            var folder = FolderOf(file);
            if (!Allowed.TryGetValue(folder, out var allowed)) continue;
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal)) continue;
                foreach (Match m in Reference().Matches(lines[i]))
                {
                    var used = m.Groups["ns"].Value;
                    if (used != folder && Allowed.ContainsKey(used) && !allowed.Contains(used))
                    {
                        violations.Add($"{folder}/{Path.GetFileName(file)}:{i + 1} uses {used}");
                    }
                }
            }
        }

        await Assert.That(violations).IsEmpty().Because(string.Join('\n', violations));
    }

    [Test]
    public async Task Comments_CiteOnlyTheRepositorysDocs_AndTheirSectionsExist()
    {
        var problems = new List<string>();
        var anchors = new Dictionary<string, HashSet<string>>();
        foreach (var file in AllSourceFiles())
        {
            var text = File.ReadAllText(file);
            if (Path.GetFileName(file) != "ArchitectureTests.cs" && OutsideDocument().IsMatch(text))
            {
                problems.Add($"{Path.GetFileName(file)} cites a document outside the repository");
            }

            foreach (Match m in DocCitation().Matches(text))
            {
                var doc = m.Groups["doc"].Value;
                var path = Path.Combine(Root, "docs", doc);
                if (!File.Exists(path))
                {
                    problems.Add($"{Path.GetFileName(file)} cites docs/{doc}, which does not exist");
                    continue;
                }

                if (!anchors.TryGetValue(doc, out var known)) anchors[doc] = known = HeadingAnchors(path);
                if (m.Groups["anchor"].Success && !known.Contains(m.Groups["anchor"].Value))
                {
                    problems.Add($"{Path.GetFileName(file)} cites docs/{doc}#{m.Groups["anchor"].Value}, which has no such section");
                }
            }
        }

        await Assert.That(problems).IsEmpty().Because(string.Join('\n', problems));
    }

    /// <summary>The team's notes beside the repository, which a clone does not have.</summary>
    [GeneratedRegex(@"\b(PROTOCOL|CLI|TOOLCHAIN|USERS|STYLE)\.md\b|\.\./shared/")]
    private static partial Regex OutsideDocument();

    [GeneratedRegex(@"docs/(?<doc>[a-z\-]+\.md)(?:#(?<anchor>[a-z0-9\-]+))?")]
    private static partial Regex DocCitation();

    /// <summary>GitHub's anchors: lower case, punctuation dropped, spaces to hyphens.</summary>
    private static HashSet<string> HeadingAnchors(string markdown) =>
        [.. File.ReadLines(markdown).Where(l => l.StartsWith('#')).Select(l => Regex.Replace(l.TrimStart('#').Trim().ToLowerInvariant(), @"[^a-z0-9 \-]", "").Replace(' ', '-'))];

    [Test]
    public async Task EachFile_SaysOneThing()
    {
        var problems = new List<string>();
        foreach (var file in ProductFiles())
        {
            var lines = File.ReadAllLines(file);
            // Records and enums may travel in a small cluster (a wire format's DTOs); behaviour gets a file of its own.
            var types = lines.Count(l => TopLevelBehaviour().IsMatch(l));
            if (types > 1) problems.Add($"{FolderOf(file)}/{Path.GetFileName(file)} declares {types} classes or interfaces");
            if (lines.Length > 300) problems.Add($"{FolderOf(file)}/{Path.GetFileName(file)} has {lines.Length} lines");
        }

        await Assert.That(problems).IsEmpty().Because(string.Join('\n', problems));
    }

    [GeneratedRegex(@"^(public|internal)( sealed| static| abstract| partial)* (class|interface|struct) ")]
    private static partial Regex TopLevelBehaviour();
}
