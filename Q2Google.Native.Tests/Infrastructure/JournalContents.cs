using Q2Google.State;

namespace Q2Google.Tests.Infrastructure;

internal static class JournalContents
{
    /// <summary>Every content the journal knows, in a list (fine for a test's few files).</summary>
    public static List<ContentState> AllContents(this Journal journal)
    {
        var all = new List<ContentState>();
        journal.ForEachContent(all.Add);
        return all;
    }

    /// <summary>Every fact of a content on one line, to compare two states of it.</summary>
    public static string Describe(ContentState c) =>
        $"{c.Hash} size={c.Size} quick={c.Quick} session={c.SessionUrl} granularity={c.Granularity} sessionAt={c.SessionAt?.ToUnixTimeMilliseconds()} "
        + $"offset={c.Offset} token={c.Token} tokenAt={c.TokenAt?.ToUnixTimeMilliseconds()} item={c.MediaItemId} url={c.ProductUrl} "
        + $"createdAt={c.CreatedAt?.ToUnixTimeMilliseconds()} albums={string.Join(",", c.Albums)} failure={c.LastFailure} failurePath={c.LastFailurePath} "
        + $"lastPath={c.LastPath}";
}
