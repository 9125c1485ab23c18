using System.Globalization;

namespace Q2Google.Cli;

/// <summary>Parses sizes such as <c>262144</c>, <c>256K</c>, <c>16M</c> or <c>1G</c> (binary units).</summary>
internal static class ByteSize
{
    public static long Parse(string text, string option)
    {
        var value = text.Trim();
        var multiplier = 1L;
        if (value.Length > 0 && char.ToUpperInvariant(value[^1]) is 'K' or 'M' or 'G')
        {
            multiplier = char.ToUpperInvariant(value[^1]) switch { 'K' => 1L << 10, 'M' => 1L << 20, _ => 1L << 30 };
            value = value[..^1];
        }

        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0 || number > long.MaxValue / multiplier)
        {
            throw new UsageException($"{option} '{text}' is not a size; use bytes or a number with K, M or G (e.g. 16M)");
        }

        return number * multiplier;
    }
}
