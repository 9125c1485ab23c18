using System.Text.Json;
using Q2Google.IO;

namespace Q2Google.State;

/// <summary>The <see cref="ServiceStatus"/> files of a state folder: one per job, replaced whole (temp file and rename) at each write.</summary>
internal sealed class ServiceStatusFiles(string stateDir)
{
    public string Folder { get; } = Path.Combine(stateDir, "service");

    public void Write(ServiceStatus status)
    {
        PrivateDirectory.Ensure(Folder, "state folder", "--state-dir");
        AtomicFile.Write(Path.Combine(Folder, FileName(status.Job)), JsonSerializer.SerializeToUtf8Bytes(status, StateJsonContext.Default.ServiceStatus));
    }

    /// <summary>Forgets a job (one no longer served): its file would otherwise speak for it forever.</summary>
    public void Remove(string job) => File.Delete(Path.Combine(Folder, FileName(job)));

    /// <summary>Every job's status, in name order; a file that cannot be read is left out.</summary>
    public IReadOnlyList<ServiceStatus> ReadAll()
    {
        if (!Directory.Exists(Folder)) return [];
        var all = new List<ServiceStatus>();
        foreach (var file in Directory.EnumerateFiles(Folder, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                using var handle = PrivateFile.OpenReadIfExists(file);
                if (handle is null || RandomAccess.GetLength(handle) > 64 * 1024) continue;
                var bytes = new byte[RandomAccess.GetLength(handle)];
                RandomAccess.Read(handle, bytes, 0);
                if (JsonSerializer.Deserialize(bytes, StateJsonContext.Default.ServiceStatus) is { } status) all.Add(status);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or UnsafeFileException)
            {
                // Half a status says nothing; the next write of its run replaces it.
            }
        }

        return all;
    }

    /// <summary>A job name as a file name: its letters kept, anything else (a slash, a dot first) made harmless.</summary>
    private static string FileName(string job) =>
        string.Concat(job.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')) + ".json";
}
