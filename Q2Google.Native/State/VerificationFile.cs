using System.Text.Json;
using Q2Google.IO;

namespace Q2Google.State;

/// <summary>Reads and replaces a library's <c>verified.json</c> (<see cref="Verification"/>): atomically, never through a link.</summary>
internal static class VerificationFile
{
    private const int Largest = 256 * 1024;

    /// <summary>Replaces the file; the library's folder must exist already (a library verify found nothing in gets none).</summary>
    public static void Write(string folder, Verification verification) =>
        AtomicFile.Write(Path.Combine(folder, Verification.FileName), JsonSerializer.SerializeToUtf8Bytes(verification, StateJsonContext.Default.Verification));

    /// <summary>What the last verify found; null when there was none, or its file cannot be read (it is only a report).</summary>
    public static Verification? Read(string folder)
    {
        try
        {
            using var handle = PrivateFile.OpenReadIfExists(Path.Combine(folder, Verification.FileName));
            if (handle is null) return null;
            var length = RandomAccess.GetLength(handle);
            if (length > Largest) return null;
            var bytes = new byte[length];
            RandomAccess.Read(handle, bytes, 0);
            return JsonSerializer.Deserialize(bytes, StateJsonContext.Default.Verification);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or UnsafeFileException)
        {
            return null;
        }
    }
}
