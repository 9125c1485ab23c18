using System.Globalization;

namespace Q2Google.Cli;

/// <summary>"1 file", "2 files": counts read as English.</summary>
internal static class Plural
{
    public static string Of(long count, string singular, string? plural = null) =>
        count.ToString("N0", CultureInfo.InvariantCulture) + " " + (count == 1 ? singular : plural ?? singular + "s");
}
