namespace Q2Google.Upload;

/// <summary>Where a file's media item goes: an album to find or create by title, or a given album id.</summary>
internal sealed record AlbumTarget(string? Title, string? Id)
{
    public string Key => Id is not null ? "id:" + Id : "title:" + Title;

    public static AlbumTarget? For(UploadOptions options, UploadCandidate file)
    {
        if (options.AlbumId is { } id) return new AlbumTarget(null, id);
        if (options.Album is { } title) return new AlbumTarget(title, null);
        if (!options.AlbumPerFolder) return null;
        // Titled by the folder's path below the PATH given; files right in it take the PATH's own name.
        return new AlbumTarget(file.Folder.Length == 0 ? file.RootName : file.Folder, null);
    }
}
