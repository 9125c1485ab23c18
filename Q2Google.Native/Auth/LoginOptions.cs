namespace Q2Google.Auth;

public sealed record LoginOptions
{
    /// <summary>Do not try to open a browser; print the URL only.</summary>
    public bool NoBrowser { get; init; }

    /// <summary>The loopback port to listen on; 0 picks a free one (any port works for Desktop clients).</summary>
    public int Port { get; init; }

    /// <summary>Configuration errors never come back to the listener (Google shows its own page), so give up after this.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(300);
}
