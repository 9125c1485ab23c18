namespace Q2Google.Tests.Infrastructure;

/// <summary>Where a run's journal is: the state folder keeps one folder per library under <c>libraries/</c>.</summary>
internal static class StateFolders
{
    /// <summary>
    /// The journal folder of the only library in <paramref name="stateDir"/>, or <paramref name="stateDir"/> itself when
    /// it is a journal folder already (tests that open a journal directly).
    /// </summary>
    public static string JournalFolder(string stateDir)
    {
        var libraries = Path.Combine(stateDir, "libraries");
        if (!Directory.Exists(libraries)) return stateDir;
        var folders = Directory.GetDirectories(libraries);
        return folders.Length == 1
            ? folders[0]
            : throw new InvalidOperationException($"{stateDir} holds {folders.Length} libraries; name the one you mean");
    }
}
