namespace Q2Google.Auth;

/// <summary>Opens the authorization URL for the user. The test double follows it like a browser would.</summary>
public interface IOAuthBrowser
{
    /// <summary>Tries to show <paramref name="url"/>; false when no browser can be opened here (the user then copies it).</summary>
    bool TryOpen(Uri url);
}
