namespace Q2Google.Cli;

/// <summary>"Did you mean …?" for a mistyped command or option name.</summary>
internal static class Suggestion
{
    /// <summary>
    /// The candidates nearest to <paramref name="typed"/>: those within Damerau-Levenshtein distance 2 (and
    /// nearer than the typed name is long, so that <c>-x</c> does not suggest <c>-q</c>), the nearest first;
    /// else the one candidate it is a prefix of. Empty when nothing is near.
    /// </summary>
    public static IReadOnlyList<string> Nearest(string typed, IEnumerable<string> candidates)
    {
        var names = candidates.Distinct(StringComparer.Ordinal).ToList();
        var length = typed.TrimStart('-').Length;
        var near = names.Select(name => (Name: name, Distance: Distance(typed, name)))
            .Where(c => c.Distance <= 2 && c.Distance < length)
            .ToList();
        if (near.Count > 0)
        {
            var best = near.Min(c => c.Distance);
            return [.. near.Where(c => c.Distance == best).Select(c => c.Name)];
        }

        var extending = names.Where(name => length > 0 && name.StartsWith(typed, StringComparison.Ordinal)).ToList();
        return extending.Count == 1 ? extending : [];
    }

    /// <summary><c>"; did you mean --album?"</c>, or "" when nothing is near.</summary>
    public static string DidYouMean(string typed, IEnumerable<string> candidates) =>
        Nearest(typed, candidates) is { Count: > 0 } near ? $"; did you mean {string.Join(" or ", near)}?" : "";

    /// <summary>Edits (insert, delete, replace, swap two neighbours) from one to the other: optimal string alignment.</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }

        return d[a.Length, b.Length];
    }
}
