using System.Security.Cryptography;
using System.Text;

namespace Q2Google.Upload;

/// <summary>
/// Album titles that fit Google's 500-character limit (docs/protocol.md#create-album), the roll-over suffix " (n)" included.
/// A title that would not fit keeps its beginning and ends in "…" plus 8 hex digits of its full text's hash, so
/// two long folder paths never share an album and the same path gets the same title on every run.
/// </summary>
internal static class AlbumTitles
{
    public const int MaxLength = 500;
    private const int HashDigits = 8;

    /// <summary>The title of the <paramref name="n"/>-th album for <paramref name="title"/>: "Title", then "Title (2)", ….</summary>
    public static string Fit(string title, int n = 1)
    {
        var suffix = n == 1 ? "" : $" ({n})";
        if (title.Length + suffix.Length <= MaxLength) return title + suffix;
        var keep = MaxLength - suffix.Length - 1 - HashDigits;
        // Never cut a character in half.
        if (char.IsHighSurrogate(title[keep - 1])) keep--;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(title)))[..HashDigits];
        return title[..keep] + "…" + hash + suffix;
    }

    /// <summary>True when <paramref name="candidate"/> is one of the titles <see cref="Fit"/> gives <paramref name="title"/>.</summary>
    public static bool IsOneOf(string candidate, string title)
    {
        if (candidate == Fit(title)) return true;
        if (!candidate.EndsWith(')')) return false;
        var open = candidate.LastIndexOf(" (", StringComparison.Ordinal);
        return open > 0 && int.TryParse(candidate.AsSpan(open + 2, candidate.Length - open - 3), out var n) && n > 1 && candidate == Fit(title, n);
    }
}
