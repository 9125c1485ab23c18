namespace Q2Google.Api;

/// <summary>
/// Header names of Google's <c>X-Goog-Upload</c> protocol as the client sends and reads them. The emulator keeps its
/// own (<c>Emulator/UploadProtocol</c>), written from docs/protocol.md, so that a typo here is refused there, not mirrored.
/// </summary>
internal static class UploadHeaders
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

    public static UploadStatus ParseStatus(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "active" => UploadStatus.Active,
        "final" => UploadStatus.Final,
        "cancelled" => UploadStatus.Cancelled,
        _ => UploadStatus.Unknown,
    };
}
