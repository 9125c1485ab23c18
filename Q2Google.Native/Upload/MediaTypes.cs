namespace Q2Google.Upload;

/// <summary>
/// The file types Google Photos accepts (docs/protocol.md#file-types-and-sizes) and the MIME type we announce for each. The map is
/// conventional IANA usage; Google appears to sniff the bytes anyway.
/// </summary>
internal static class MediaTypes
{
    public const long MaxPhotoBytes = 200L * 1000 * 1000;
    public const long MaxVideoBytes = 20L * 1000 * 1000 * 1000;

    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg", [".jpe"] = "image/jpeg",
        [".png"] = "image/png", [".gif"] = "image/gif", [".webp"] = "image/webp",
        [".heic"] = "image/heic", [".heif"] = "image/heif", [".avif"] = "image/avif",
        [".bmp"] = "image/bmp", [".tif"] = "image/tiff", [".tiff"] = "image/tiff", [".ico"] = "image/x-icon",
        // Camera RAW: "some RAW files" are accepted; Google sniffs them.
        [".dng"] = "image/x-adobe-dng", [".cr2"] = "image/x-canon-cr2", [".cr3"] = "image/x-canon-cr3",
        [".nef"] = "image/x-nikon-nef", [".nrw"] = "image/x-nikon-nrw", [".arw"] = "image/x-sony-arw",
        [".orf"] = "image/x-olympus-orf", [".rw2"] = "image/x-panasonic-rw2", [".raf"] = "image/x-fuji-raf",
        [".pef"] = "image/x-pentax-pef", [".srw"] = "image/x-samsung-srw",
        [".mp4"] = "video/mp4", [".m4v"] = "video/mp4", [".mov"] = "video/quicktime", [".qt"] = "video/quicktime",
        [".avi"] = "video/x-msvideo", [".divx"] = "video/x-msvideo", [".mkv"] = "video/x-matroska",
        [".wmv"] = "video/x-ms-wmv", [".asf"] = "video/x-ms-asf", [".mpg"] = "video/mpeg", [".mpeg"] = "video/mpeg",
        [".3gp"] = "video/3gpp", [".3g2"] = "video/3gpp2", [".mts"] = "video/mp2t", [".m2ts"] = "video/mp2t",
        [".m2t"] = "video/mp2t", [".mmv"] = "video/x-mmv", [".mod"] = "video/mpeg", [".tod"] = "video/mpeg",
    };

    /// <summary>The MIME type for a file name's extension, or null when Google does not take the type.</summary>
    public static string? FromFileName(string fileName) =>
        ByExtension.TryGetValue(Path.GetExtension(fileName), out var type) ? type : null;

    public static bool IsVideo(string mimeType) => mimeType.StartsWith("video/", StringComparison.Ordinal);

    /// <summary>Google's per-file ceiling: 200 MB for photos, 20 GB for videos.</summary>
    public static long SizeLimit(string mimeType) => IsVideo(mimeType) ? MaxVideoBytes : MaxPhotoBytes;
}
