namespace Q2Google.State;

/// <summary>A path as last seen: the fast path that lets unchanged files skip hashing.</summary>
internal sealed record PathState(long Size, long Modified, string Hash);
