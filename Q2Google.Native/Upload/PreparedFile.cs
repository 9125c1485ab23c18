namespace Q2Google.Upload;

/// <summary>
/// A file the preparer has decided about, as it moves through the later stages: what it is (snapshot, type),
/// what its content is (hash, or the hash still being computed while its bytes already go up), where its media
/// item goes (album).
/// </summary>
/// <param name="Display">The path as the user wrote it, for outcomes.</param>
/// <param name="Hash">The content hash; empty while <see cref="Hashing"/> still computes it.</param>
/// <param name="MimeType">What the classifier recognised (announced as <c>X-Goog-Upload-Content-Type</c>); null for content already in the library, which is not read.</param>
internal sealed record PreparedFile(string Display, FileSnapshot Snapshot, string Hash, string? MimeType, AlbumTarget? Album)
{
    public string Name => Path.GetFileName(Snapshot.FullPath);

    public long Size => Snapshot.Size;

    /// <summary>A large new file's full hash, computed while its bytes already go up.</summary>
    public Task<string>? Hashing { get; init; }

    /// <summary>A large file's sampled fingerprint (<see cref="QuickFingerprint"/>).</summary>
    public string? Quick { get; init; }
}
