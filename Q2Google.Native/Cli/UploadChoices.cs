using Q2Google.Upload;

namespace Q2Google.Cli;

/// <summary>What an upload's album and description choices must meet, as <c>upload</c>'s options and as a jobs file's keys.</summary>
internal static class UploadChoices
{
    /// <summary>Google takes descriptions shorter than this (docs/protocol.md#batchcreate-request).</summary>
    public const int DescriptionLimit = 1000;

    /// <summary>Null when the choices can be used together; else what is wrong, each choice named by <paramref name="named"/>.</summary>
    public static string? Problem(string? album, string? albumId, bool albumPerFolder, string? description, Func<string, string> named)
    {
        if ((album is not null ? 1 : 0) + (albumId is not null ? 1 : 0) + (albumPerFolder ? 1 : 0) > 1)
        {
            return $"use only one of {named("album")}, {named("albumId")} and {named("albumPerFolder")}";
        }

        if (album is not null && (album.Trim().Length == 0 || album.Length > AlbumTitles.MaxLength))
        {
            return $"{named("album")} needs a title of 1 to {AlbumTitles.MaxLength} characters";
        }

        return description is { Length: >= DescriptionLimit }
            ? $"{named("description")} must be shorter than {DescriptionLimit} characters (it has {description.Length})"
            : null;
    }
}
