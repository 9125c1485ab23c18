namespace Q2Google.Emulator;

/// <summary>The <c>X-Goog-Upload-*</c> headers as the emulator speaks them (docs/protocol.md#resumable-upload).</summary>
internal static class UploadProtocol
{
    public const string Protocol = "X-Goog-Upload-Protocol";
    public const string Command = "X-Goog-Upload-Command";
    public const string RawSize = "X-Goog-Upload-Raw-Size";
    public const string ContentType = "X-Goog-Upload-Content-Type";
    public const string FileName = "X-Goog-Upload-File-Name";
    public const string Offset = "X-Goog-Upload-Offset";
    public const string Url = "X-Goog-Upload-URL";
    public const string ChunkGranularity = "X-Goog-Upload-Chunk-Granularity";
    public const string Status = "X-Goog-Upload-Status";
    public const string SizeReceived = "X-Goog-Upload-Size-Received";
    public const string UploaderId = "X-GUploader-UploadID";

    /// <summary>Google's per-file limits: 200 MB for photos, 20 GB for videos (docs/protocol.md#file-types-and-sizes).</summary>
    public const long MaxPhotoBytes = 200L * 1000 * 1000;
    public const long MaxVideoBytes = 20L * 1000 * 1000 * 1000;

    /// <summary>What a session says it is.</summary>
    public static string Name(SessionStatus status) => status switch
    {
        SessionStatus.Final => "final",
        SessionStatus.Cancelled => "cancelled",
        _ => "active",
    };

    /// <summary>The type an upload is taken for when the client announced none: from the name, as far as it says.</summary>
    public static string TypeOf(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".jpg" or ".jpeg" => "image/jpeg",
        ".png" => "image/png",
        ".gif" => "image/gif",
        ".heic" => "image/heic",
        ".webp" => "image/webp",
        ".mp4" or ".m4v" => "video/mp4",
        ".mov" => "video/quicktime",
        _ => "application/octet-stream",
    };
}
