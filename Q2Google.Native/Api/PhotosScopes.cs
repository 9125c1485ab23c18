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

    /// <summary>Maps the short names of the CLI (<c>append</c>, <c>read</c>, <c>edit</c>) to scope URLs.</summary>
    public static bool TryParseShortName(string name, out string scope)
    {
        scope = name.Trim().ToLowerInvariant() switch
        {
            "append" or "appendonly" => AppendOnly,
            "read" or "readonly" => ReadOnlyAppCreatedData,
            "edit" => EditAppCreatedData,
            _ => "",
        };
        return scope.Length > 0;
    }

    /// <summary>The short CLI name of a scope URL, or the URL itself when it is not one of ours.</summary>
    public static string ShortName(string scope) => scope switch
    {
        AppendOnly => "append",
        ReadOnlyAppCreatedData => "read",
        EditAppCreatedData => "edit",
        Auth.OpenIdScopes.UserInfoEmail => "email",
        _ => scope,
    };
}
