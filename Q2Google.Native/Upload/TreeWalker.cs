using Microsoft.Extensions.FileSystemGlobbing;
using Q2Google.IO;

namespace Q2Google.Upload;

/// <summary>
/// Walks the command-line PATHs lazily, so uploads can start while a 150,000-file tree is still being read.
/// Skips hidden and NAS-metadata folders, applies <c>--include</c>/<c>--exclude</c> globs relative to each
/// PATH, follows symbolic links but never walks into a folder it is already inside (a symlink loop). What a
/// path is comes from its mode (one <c>statx</c>, through links), never from its name: only regular files
/// become candidates; FIFOs, sockets and devices are reported as skipped and never opened.
/// </summary>
internal sealed class TreeWalker
{
    private readonly Matcher? _matcher;

    /// <summary>Each <c>--include</c> on its own, until it has matched a file: to say which matched none.</summary>
    private readonly List<(string Pattern, Matcher Matcher)> _unmatched = [];

    public TreeWalker(IReadOnlyList<string> include, IReadOnlyList<string> exclude)
    {
        if (include.Count == 0 && exclude.Count == 0) return;
        _matcher = new Matcher(StringComparison.Ordinal);
        if (include.Count == 0) _matcher.AddInclude("**/*");
        foreach (var pattern in include)
        {
            _matcher.AddInclude(pattern);
            var alone = new Matcher(StringComparison.Ordinal);
            alone.AddInclude(pattern);
            _unmatched.Add((pattern, alone));
        }

        foreach (var pattern in exclude) _matcher.AddExclude(pattern);
    }

    /// <summary>The <c>--include</c> patterns no file has matched so far: after the walk, the ones that matched nothing.</summary>
    public IReadOnlyList<string> UnmatchedIncludes => [.. _unmatched.Select(u => u.Pattern)];

    private bool Included(string relative)
    {
        if (_matcher is null) return true;
        if (!_matcher.Match(relative).HasMatches) return false;
        _unmatched.RemoveAll(u => u.Matcher.Match(relative).HasMatches);
        return true;
    }

    public IEnumerable<WalkItem> Walk(string argument)
    {
        var full = Path.GetFullPath(argument);
        var top = FileStatus.TryOf(full, followLinks: true, out var errno);
        if (top is null)
        {
            yield return new WalkSkip(argument, "missing", $"cannot use this path ({Posix.Describe(errno)}); check it", IsFailure: true);
            yield break;
        }

        if (top.Value.IsRegular)
        {
            // A file named on the command line is wanted as such: only the type rules apply to it, not the globs.
            var parent = Path.GetDirectoryName(full)!;
            yield return new UploadCandidate(argument, full, "", Path.GetFileName(parent), top.Value, Named: true);
            yield break;
        }

        if (top.Value.Kind != FileKind.Directory)
        {
            yield return new WalkSkip(argument, SkipReasons.NotAFile, $"{top.Value.Kind.Describe()}, not a file or folder; it was not opened", IsFailure: true);
            yield break;
        }

        var rootName = Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar));
        var stack = new Stack<(string Path, string Relative, string Canonical, HashSet<string> Ancestors)>();
        var rootCanonical = Canonical(new DirectoryInfo(full), null);
        stack.Push((full, "", rootCanonical, [rootCanonical]));
        var visited = new HashSet<string>(StringComparer.Ordinal) { rootCanonical };
        while (stack.Count > 0)
        {
            var (dir, relative, canonical, ancestors) = stack.Pop();
            List<FileSystemInfo> entries;
            string? error = null;
            try
            {
                entries = [.. new DirectoryInfo(dir).EnumerateFileSystemInfos("*", new EnumerationOptions
                {
                    IgnoreInaccessible = false, AttributesToSkip = 0, ReturnSpecialDirectories = false, RecurseSubdirectories = false,
                })];
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                entries = [];
                error = e is UnauthorizedAccessException ? "permission denied" : e.Message;
            }

            if (error is not null)
            {
                yield return new WalkSkip(Display(argument, relative), SkipReasons.Unreadable, $"cannot read this folder ({error}); its files were not uploaded", IsFailure: true);
                continue;
            }

            entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            // Folders are pushed in reverse so they pop in name order, after this folder's files.
            var folders = new List<(string Path, string Relative, string Canonical, HashSet<string> Ancestors)>();
            foreach (var entry in entries)
            {
                var childRelative = relative.Length == 0 ? entry.Name : relative + "/" + entry.Name;
                // Through links: a link to a folder is walked, a link to a file is that file.
                var status = FileStatus.TryOf(entry.FullName, followLinks: true, out var entryErrno);
                if (status is null)
                {
                    if (!Included(childRelative)) continue;
                    yield return new WalkSkip(Display(argument, childRelative), SkipReasons.Unreadable,
                        entry.LinkTarget is not null ? "a symbolic link to nothing (its target is missing)" : $"cannot read it ({Posix.Describe(entryErrno)})");
                    continue;
                }

                if (status.Value.Kind == FileKind.Directory)
                {
                    if (FileClassifier.SkipFolder(entry.Name) is { } folderReason)
                    {
                        yield return new WalkSkip(Display(argument, childRelative) + "/", folderReason);
                        continue;
                    }

                    var childCanonical = Canonical(entry, canonical);
                    if (ancestors.Contains(childCanonical))
                    {
                        yield return new WalkSkip(Display(argument, childRelative) + "/", SkipReasons.SymlinkLoop, "a link back to a folder it is inside");
                        continue;
                    }

                    // Reached again through another link: its files are already being walked.
                    if (!visited.Add(childCanonical)) continue;
                    folders.Add((entry.FullName, childRelative, childCanonical, [.. ancestors, childCanonical]));
                }
                else
                {
                    if (!Included(childRelative)) continue;
                    yield return status.Value.IsRegular
                        ? new UploadCandidate(Display(argument, childRelative), entry.FullName, relative, rootName, status.Value)
                        : new WalkSkip(Display(argument, childRelative), SkipReasons.NotAFile, $"{status.Value.Kind.Describe()}, not a file; it was not opened");
                }
            }

            for (var i = folders.Count - 1; i >= 0; i--) stack.Push(folders[i]);
        }
    }

    /// <summary>The folder's identity with symbolic links resolved, so two ways to the same folder compare equal.</summary>
    private static string Canonical(FileSystemInfo folder, string? parentCanonical)
    {
        if (folder.LinkTarget is not null)
        {
            try
            {
                if (folder.ResolveLinkTarget(returnFinalTarget: true) is { } target) return Path.TrimEndingDirectorySeparator(target.FullName);
            }
            catch (IOException)
            {
                // A broken or looping link: its own path is identity enough.
            }
        }

        return parentCanonical is null ? Path.TrimEndingDirectorySeparator(folder.FullName) : parentCanonical + "/" + folder.Name;
    }

    private static string Display(string argument, string relative) =>
        relative.Length == 0 ? argument : argument.EndsWith('/') ? argument + relative : argument + "/" + relative;
}
