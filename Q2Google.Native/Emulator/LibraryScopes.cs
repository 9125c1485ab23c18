namespace Q2Google.Emulator;

/// <summary>The Photos Library scopes Google still honours (docs/protocol.md#scopes), as the emulator checks them.</summary>
internal static class LibraryScopes
{
    public const string AppendOnly = "https://www.googleapis.com/auth/photoslibrary.appendonly";
    public const string ReadOnlyAppCreatedData = "https://www.googleapis.com/auth/photoslibrary.readonly.appcreateddata";
    public const string EditAppCreatedData = "https://www.googleapis.com/auth/photoslibrary.edit.appcreateddata";

    /// <summary>What a grant has unless a test asks for others: upload and read back.</summary>
    public static IReadOnlyList<string> Default { get; } = [AppendOnly, ReadOnlyAppCreatedData];
}
