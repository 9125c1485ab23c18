namespace Q2Google.Cli;

/// <summary>A command of <see cref="OptionTable"/>: its words (<c>auth login</c>), one-line summary, options and positional argument.</summary>
internal sealed record CommandSpec(string Path, string Summary, IReadOnlyList<OptionSpec> Options)
{
    public ArgumentSpec? Argument { get; init; }

    public string[] Words => Path.Split(' ');

    /// <summary>The group it belongs to (<c>auth</c>), or null for a top-level command.</summary>
    public string? Group => Words is [var group, _] ? group : null;

    /// <summary>How help and errors write it: <c>upload PATH...</c>, <c>albums create TITLE</c>.</summary>
    public string Synopsis => Argument is null ? Path : Path + " " + Argument.Synopsis;
}

/// <summary>
/// An option. <see cref="Value"/> names its value in help (<c>SIZE</c>, <c>N</c>); null makes it a flag.
/// <see cref="Default"/> is what help shows (null: nothing to show); <see cref="Environment"/> is the variable
/// that stands in for it when it is not given.
/// </summary>
internal sealed record OptionSpec(string Name, string? Value, string Help)
{
    public string? Short { get; init; }
    public string? Default { get; init; }
    public string? Environment { get; init; }

    /// <summary>May be given several times; the values reach the command joined by newlines.</summary>
    public bool Repeatable { get; init; }

    public bool IsFlag => Value is null;

    public bool Matches(string token) => token == Name || token == Short;

    /// <summary>How help writes it: <c>-q, --quiet</c>, <c>--chunk-size SIZE</c>.</summary>
    public string Synopsis => (Short is null ? "" : Short + ", ") + Name + (Value is null ? "" : " " + Value);
}

/// <summary>A command's positional argument: <c>PATH</c> (1 or more), <c>ID</c> (exactly 1).</summary>
internal sealed record ArgumentSpec(string Name, string Help, int Min, int Max)
{
    public string Synopsis => Max > 1 ? Name + "..." : Name;
}

/// <summary>A word that only groups commands (<c>albums</c>, <c>media</c>, <c>auth</c>).</summary>
internal sealed record GroupSpec(string Name, string Summary);

/// <summary>A setting that comes only from the environment (no option stands for it).</summary>
internal sealed record EnvironmentSetting(string Name, string Help)
{
    public string? Default { get; init; }
}
