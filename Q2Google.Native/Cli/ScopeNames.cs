using Q2Google.Api;
using Q2Google.Auth;

namespace Q2Google.Cli;

/// <summary>The short names people type and read for scopes: <c>append</c>, <c>read</c>, <c>edit</c>, <c>openid</c>, <c>email</c>.</summary>
internal static class ScopeNames
{
    /// <summary>Maps <c>--scopes</c> names to scope URLs.</summary>
    public static bool TryParse(string name, out string scope)
    {
        scope = name.Trim().ToLowerInvariant() switch
        {
            "append" or "appendonly" => PhotosScopes.AppendOnly,
            "read" or "readonly" => PhotosScopes.ReadOnlyAppCreatedData,
            "edit" => PhotosScopes.EditAppCreatedData,
            _ => "",
        };
        return scope.Length > 0;
    }

    /// <summary>The short name of a scope URL, or the URL itself when it is not one of ours.</summary>
    public static string Of(string scope) => scope switch
    {
        PhotosScopes.AppendOnly => "append",
        PhotosScopes.ReadOnlyAppCreatedData => "read",
        PhotosScopes.EditAppCreatedData => "edit",
        OpenIdScopes.UserInfoEmail => "email",
        _ => scope,
    };
}
