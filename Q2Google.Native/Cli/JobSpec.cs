namespace Q2Google.Cli;

/// <summary>One job of a jobs file (docs/cli.md#jobs-file): whose library, which PATHs, and the upload options of <c>upload</c>.</summary>
internal sealed record JobSpec
{
    public required string Name { get; init; }

    /// <summary>The login to use; null: the default one.</summary>
    public string? Profile { get; init; }

    public required IReadOnlyList<string> Paths { get; init; }
    public string? Album { get; init; }
    public bool AlbumPerFolder { get; init; }
    public string? AlbumId { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<string> Include { get; init; } = [];
    public IReadOnlyList<string> Exclude { get; init; } = [];
}
