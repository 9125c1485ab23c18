namespace Q2Google.State;

/// <summary>A file the journal has seen with exactly this size and mtime: its content hash, and what is known of that content.</summary>
internal sealed record KnownFile(string Hash, ContentState? Content);
