using System.Globalization;
using Q2Google.State;

namespace Q2Google.Cli;

/// <summary>What loading a journal found wrong with it, said once: a torn last line (a run was killed), damage elsewhere, a damaged index.</summary>
internal static class JournalWarnings
{
    public static void Report(Journal journal, Terminal terminal)
    {
        ReportIndex(journal, terminal);
        if (journal.DroppedTornLastLine)
        {
            terminal.Warn($"the journal {journal.Path} ended in a half-written line (an earlier run was interrupted while writing it); that line was dropped");
        }

        if (journal.UnreadableLines > 0)
        {
            terminal.Warn(Describe(journal) + "; they were skipped and the rest was loaded. What they recorded may be sent again: Google maps identical " +
                          "bytes to the media item that has them, so nothing is duplicated");
        }
    }

    /// <summary>The index's problem, when there is one: found at start, or by a lookup during the run.</summary>
    public static void ReportIndex(Journal journal, Terminal terminal)
    {
        if (journal.IndexProblem is { } problem) terminal.Warn($"in {journal.Folder}: {problem}; Google maps identical bytes to the media item that has them, so nothing is duplicated");
    }

    public static string Describe(Journal journal)
    {
        var numbers = string.Join(", ", journal.UnreadableLineNumbers.Select(n => n.ToString(CultureInfo.InvariantCulture)));
        var more = journal.UnreadableLines > journal.UnreadableLineNumbers.Count ? ", …" : "";
        return $"the journal {journal.Path} has {Plural.Of(journal.UnreadableLines, "unreadable line")} (line {numbers}{more})";
    }
}
