using Q2Google.IO;

namespace Q2Google.Upload;

/// <summary>
/// A file as the walk saw it: path, size and modification time. It owns the one question every stage asks
/// before trusting what it read or sent: has the file changed since? A file that changed is never recorded
/// under the content it had before; it is uploaded by the next run.
/// </summary>
internal sealed record FileSnapshot(string FullPath, long Size, long ModifiedTicks)
{
    /// <summary>What every "it changed" failure says.</summary>
    public const string ChangedReason = "the file changed while q2google was reading or sending it; it will be uploaded next run";

    public static FileSnapshot Of(UploadCandidate file) => new(file.FullPath, file.Status.Size, file.Status.ModifiedTicks);

    /// <summary>True unless the file is still a regular file of the same size and modification time.</summary>
    public bool HasChanged() =>
        FileStatus.TryOf(FullPath, followLinks: true, out _) is not { IsRegular: true } now || now.Size != Size || now.ModifiedTicks != ModifiedTicks;
}
