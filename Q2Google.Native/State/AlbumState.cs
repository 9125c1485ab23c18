namespace Q2Google.State;

internal sealed class AlbumState(string title, string id)
{
    public string Title { get; } = title;
    public string Id { get; } = id;

    /// <summary>Items q2google put there (Google's own count may be higher if other tools added some).</summary>
    public int Count { get; set; }

    /// <summary>Google refused more items: later runs continue in the next "Title (n)".</summary>
    public bool Full { get; set; }
}
