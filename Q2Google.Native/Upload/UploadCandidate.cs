namespace Q2Google.Upload;

/// <summary>What the walk found under one command-line PATH: a file to consider, or a thing skipped with its reason.</summary>
internal abstract record WalkItem(string Display);

/// <summary>A file to consider for upload.</summary>
/// <param name="Display">The path as the user wrote it plus the part below it (what reports show).</param>
/// <param name="FullPath">Absolute path (the journal's key for the no-read fast path).</param>
/// <param name="Folder">The folder it sits in, relative to the PATH it was found under ("" for the PATH itself).</param>
/// <param name="RootName">The name of that PATH (the album title of its top folder with --album-per-folder).</param>
/// <param name="Status">What the walk's one <c>statx</c> saw: a regular file, its size and modification time.</param>
/// <param name="Named">Named on the command line itself, not found in a folder: asked for, so what cannot be uploaded has failed.</param>
internal sealed record UploadCandidate(string Display, string FullPath, string Folder, string RootName, IO.FileStatus Status, bool Named = false) : WalkItem(Display);

/// <summary>Something not uploaded, reported with a reason (hidden, sidecar, symlink loop, unreadable folder, …).</summary>
internal sealed record WalkSkip(string Display, string Reason, string? Detail = null, bool IsFailure = false) : WalkItem(Display);
