namespace Q2Google.Api;

/// <summary>
/// The Photos Library scopes that still work after Google's March 2025 changes (docs/protocol.md#scopes).
/// The removed <c>photoslibrary</c>, <c>photoslibrary.readonly</c> and <c>photoslibrary.sharing</c> are
/// deliberately absent: requesting them only earns a consent screen for permissions the API no longer honours.
/// </summary>
public static class PhotosScopes
{
    public const string AppendOnly = "https://www.googleapis.com/auth/photoslibrary.appendonly";
    public const string ReadOnlyAppCreatedData = "https://www.googleapis.com/auth/photoslibrary.readonly.appcreateddata";
    public const string EditAppCreatedData = "https://www.googleapis.com/auth/photoslibrary.edit.appcreateddata";

    /// <summary>What <c>auth login</c> asks for unless told otherwise: upload, and read back what we uploaded.</summary>
    public static IReadOnlyList<string> Default { get; } = [AppendOnly, ReadOnlyAppCreatedData];
}
