using System.Globalization;

namespace Q2Google.Cli;

/// <summary>
/// Parses durations such as <c>1500ms</c>, <c>2s</c>, <c>1.5s</c>, <c>15m</c>, <c>2h</c> or <c>1d</c>. A bare number is milliseconds, as
/// <c>emulator --latency</c> always took it, so the latency options all read the same.
/// </summary>
internal static class DurationText
{
    private static readonly (string Suffix, double Milliseconds)[] Units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)];

    public static TimeSpan Parse(string text, string option)
    {
        var value = text.Trim().ToLowerInvariant();
        var milliseconds = 1.0;
        // "ms" before "s": the first suffix that matches wins.
        foreach (var (suffix, unit) in Units)
        {
            if (!value.EndsWith(suffix, StringComparison.Ordinal)) continue;
            milliseconds = unit;
            value = value[..^suffix.Length];
            break;
        }

        if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) || number * milliseconds > TimeSpan.FromDays(366).TotalMilliseconds)
        {
            throw new UsageException($"{option} '{text}' is not a duration; use milliseconds or a number with ms, s, m, h or d (e.g. 1500ms, 10s, 15m, 2h)");
        }

        return TimeSpan.FromMilliseconds(number * milliseconds);
    }
}
