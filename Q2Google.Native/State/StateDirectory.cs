using System.Text.Json;
using Q2Google.IO;

namespace Q2Google.State;

/// <summary>
/// The state folder: one folder per library under <c>libraries/</c>, named by <see cref="LibraryIdentity.Key"/>,
/// holding that library's journal, its lock and a <c>library.json</c> that says whose library it is. A
/// <c>journal.jsonl</c> at the top is a journal of an earlier version, written before journals knew their
/// library; the upload engine adopts it once it has proved whose it is.
/// </summary>
internal sealed class StateDirectory(string root)
{
    public const string IdentityFileName = "library.json";
    private const string What = "state folder";
    private const string Option = "--state-dir";

    public string Root { get; } = Path.GetFullPath(root);

    public string LibrariesRoot => Path.Combine(Root, "libraries");

    /// <summary>The journal of the version before journals were kept per library.</summary>
    public string LegacyJournalPath => Path.Combine(Root, Journal.FileName);

    public string FolderOf(LibraryIdentity identity) => Path.Combine(LibrariesRoot, identity.Key);

    /// <summary>Creates (or checks) the folders for a library and records its identity; returns its folder.</summary>
    public string Prepare(LibraryIdentity identity)
    {
        PrivateDirectory.Ensure(Root, What, Option);
        PrivateDirectory.Ensure(LibrariesRoot, What, Option);
        var folder = FolderOf(identity);
        PrivateDirectory.Ensure(folder, What, Option);
        // Rewritten only when it says something else (the e-mail can change; the key cannot).
        if (ReadIdentity(folder) != identity)
        {
            AtomicFile.Write(Path.Combine(folder, IdentityFileName), JsonSerializer.SerializeToUtf8Bytes(identity, StateJsonContext.Default.LibraryIdentity));
        }

        return folder;
    }

    /// <summary>Checks the folders that exist without creating anything (for commands that only read).</summary>
    public void CheckExisting()
    {
        if (Directory.Exists(Root)) PrivateDirectory.Check(Root, What, Option);
        if (Directory.Exists(LibrariesRoot)) PrivateDirectory.Check(LibrariesRoot, What, Option);
    }

    /// <summary>Every library with a journal here, with what its <c>library.json</c> says.</summary>
    public IReadOnlyList<(string Folder, LibraryIdentity Identity)> Libraries()
    {
        if (!Directory.Exists(LibrariesRoot)) return [];
        var found = new List<(string, LibraryIdentity)>();
        foreach (var folder in Directory.EnumerateDirectories(LibrariesRoot).Order(StringComparer.Ordinal))
        {
            if (ReadIdentity(folder) is { } identity) found.Add((folder, identity));
        }

        return found;
    }

    public static LibraryIdentity? ReadIdentity(string folder)
    {
        try
        {
            using var handle = PrivateFile.OpenReadIfExists(Path.Combine(folder, IdentityFileName));
            if (handle is null) return null;
            var length = RandomAccess.GetLength(handle);
            if (length > 64 * 1024) return null;
            var bytes = new byte[length];
            RandomAccess.Read(handle, bytes, 0);
            return JsonSerializer.Deserialize(bytes, StateJsonContext.Default.LibraryIdentity);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or UnsafeFileException)
        {
            return null;
        }
    }
}
