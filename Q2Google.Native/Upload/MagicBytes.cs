using System.Text;

namespace Q2Google.Upload;

/// <summary>
/// Recognises the photo and video formats Google Photos takes (docs/protocol.md#file-types-and-sizes) from a file's first bytes,
/// so a <c>.jpg</c> that is really an HTML error page is skipped before it costs an upload.
/// </summary>
internal static class MagicBytes
{
    /// <summary>How many leading bytes <see cref="Detect"/> wants.</summary>
    public const int HeaderLength = 64;

    /// <summary>The MIME type the bytes announce, or null when they are no format we know.</summary>
    public static string? Detect(ReadOnlySpan<byte> head)
    {
        if (Starts(head, 0xFF, 0xD8, 0xFF)) return "image/jpeg";
        if (Starts(head, 0x89, (byte)'P', (byte)'N', (byte)'G')) return "image/png";
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8)) return "image/gif";
        if (head.StartsWith("BM"u8) && head.Length >= 14) return "image/bmp";
        if (Starts(head, 0x00, 0x00, 0x01, 0x00)) return "image/x-icon";
        if (head.StartsWith("FUJIFILMCCD-RAW"u8)) return "image/x-fuji-raf";
        // TIFF, and the camera RAW formats built on it (CR2, NEF, ARW, DNG, ORF, RW2, PEF, SRW).
        if (head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8) || head.StartsWith("IIRO"u8) || head.StartsWith("IIRS"u8) || head.StartsWith("IIU\0"u8))
        {
            return "image/tiff";
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8))
        {
            if (head[8..12].SequenceEqual("WEBP"u8)) return "image/webp";
            if (head[8..12].SequenceEqual("AVI "u8)) return "video/x-msvideo";
        }

        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8)) return IsoBrand(head[8..12]);
        // Old QuickTime files start with an atom other than ftyp.
        if (head.Length >= 8 && (head[4..8].SequenceEqual("moov"u8) || head[4..8].SequenceEqual("mdat"u8) ||
                                 head[4..8].SequenceEqual("wide"u8) || head[4..8].SequenceEqual("free"u8)))
        {
            return "video/quicktime";
        }

        if (Starts(head, 0x1A, 0x45, 0xDF, 0xA3)) return "video/x-matroska";
        if (Starts(head, 0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11)) return "video/x-ms-wmv";
        if (Starts(head, 0x00, 0x00, 0x01, 0xBA) || Starts(head, 0x00, 0x00, 0x01, 0xB3)) return "video/mpeg";
        // MPEG transport streams: 188-byte packets (.ts/.m2t/.mts) or 192-byte ones with a 4-byte prefix (.m2ts).
        if (head.Length > 0 && head[0] == 0x47) return "video/mp2t";
        if (head.Length > 4 && head[4] == 0x47) return "video/mp2t";
        return null;
    }

    private static bool Starts(ReadOnlySpan<byte> head, params ReadOnlySpan<byte> prefix) => head.StartsWith(prefix);

    private static string? IsoBrand(ReadOnlySpan<byte> brand)
    {
        var text = Encoding.ASCII.GetString(brand);
        return text switch
        {
            "heic" or "heix" or "hevc" or "hevx" or "heim" or "heis" or "mif1" or "msf1" => "image/heic",
            "avif" or "avis" => "image/avif",
            "crx " => "image/x-canon-cr3",
            "qt  " => "video/quicktime",
            "3gp4" or "3gp5" or "3gp6" or "3gp7" or "3gs7" or "3ge6" or "3ge7" or "3gg6" => "video/3gpp",
            "3g2a" or "3g2b" or "3g2c" => "video/3gpp2",
            "M4V " or "M4VH" or "M4VP" => "video/mp4",
            _ when text.StartsWith("mp4", StringComparison.Ordinal) || text.StartsWith("iso", StringComparison.Ordinal)
                   || text is "avc1" or "MSNV" or "dash" or "f4v " or "NDAS" or "XAVC" or "MP4 " => "video/mp4",
            _ => null,
        };
    }
}
