namespace Q2Google.Auth;

/// <summary>What came back from the consent page, via the listener or pasted by the user.</summary>
internal sealed record AuthorizationCallback(string? Code, string? State, string? Error, string? GrantedScope)
{
    /// <summary>Reads the query of a redirect (<c>?state=…&amp;code=…&amp;scope=…&amp;authuser=0…</c>); unknown parameters are ignored.</summary>
    public static AuthorizationCallback FromQuery(IEnumerable<KeyValuePair<string, string>> query)
    {
        string? Get(string name) => query.FirstOrDefault(p => p.Key == name).Value;
        return new AuthorizationCallback(Get("code"), Get("state"), Get("error"), Get("scope"));
    }

    /// <summary>
    /// Reads what a user pasted: the full redirected URL their remote browser failed to load, or just the code.
    /// Null when it is neither.
    /// </summary>
    public static AuthorizationCallback? FromPaste(string? line)
    {
        var text = line?.Trim().Trim('"', '\'', '<', '>');
        if (string.IsNullOrEmpty(text)) return null;
        // Anything URL-like is read as the redirect, with or without its scheme (browsers hide "http://"), so its
        // state is checked. Only text with no query syntax at all can be a bare code.
        var question = text.IndexOf('?', StringComparison.Ordinal);
        if (question >= 0 || text.Contains('&', StringComparison.Ordinal) || text.Contains('=', StringComparison.Ordinal))
        {
            var query = question >= 0 ? text[(question + 1)..] : text;
            var fragment = query.IndexOf('#', StringComparison.Ordinal);
            var callback = FromQuery(Http.HttpRequestHead.ParseQuery(fragment < 0 ? query : query[..fragment]));
            return callback.Code is null && callback.Error is null ? null : callback;
        }

        if (text.Contains(' ', StringComparison.Ordinal) || text.Length < 10 || text.Contains("://", StringComparison.Ordinal)) return null;
        // A bare code carries no state; the PKCE verifier still binds it to this login.
        return new AuthorizationCallback(text.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(text) : text, null, null, null);
    }

    public bool IsBareCode => Code is not null && State is null && Error is null;

    public override string ToString() => $"AuthorizationCallback {{ has_code = {Code is not null}, error = {Error} }}";
}
