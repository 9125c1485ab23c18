using System.Globalization;

namespace Q2Google.Upload;

/// <summary>Sizes for people: <c>812 B</c>, <c>200.0 KiB</c>, <c>21.3 MiB</c>, <c>1.00 GiB</c>.</summary>
internal static class ByteCount
{
    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.00} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        _ => $"{bytes} B",
    };
}
