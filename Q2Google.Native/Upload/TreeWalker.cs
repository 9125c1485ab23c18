using System.IO.Enumeration;
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

        var rootCanonical = Canonical(new DirectoryInfo(full), null);
        foreach (var item in WalkFolder(argument, RootName(full), full, "", rootCanonical, [rootCanonical])) yield return item;
    }

    /// <summary>
    /// What changed at <paramref name="relative"/> below the folder PATH <paramref name="argument"/> (a watch saw it),
    /// as the walk of that PATH would meet it: a file, or a whole new folder; nothing if the walk would not go there
    /// (a hidden or NAS-metadata folder on the way, a glob that leaves it out) or if it is gone again.
    /// </summary>
    public IEnumerable<WalkItem> WalkChanged(string argument, string relative)
    {
        var root = Path.GetFullPath(argument);
        var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts.SkipLast(1).Any(part => FileClassifier.SkipFolder(part) is not null)) yield break;
        var full = Path.Combine(root, relative);
        if (FileStatus.TryOf(full, followLinks: true, out _) is not { } status) yield break;
        if (status.Kind == FileKind.Directory)
        {
            if (FileClassifier.SkipFolder(parts[^1]) is not null) yield break;
            // Its ancestors, for the loop check: the folders on the way from PATH, with links resolved.
            var ancestors = new HashSet<string>(StringComparer.Ordinal);
            var canonical = Canonical(new DirectoryInfo(root), null);
            ancestors.Add(canonical);
            for (var i = 0; i < parts.Length; i++)
            {
                canonical = Canonical(new DirectoryInfo(Path.Combine(root, string.Join('/', parts[..(i + 1)]))), canonical);
                if (!ancestors.Add(canonical)) yield break;
            }

            foreach (var item in WalkFolder(argument, RootName(root), full, string.Join('/', parts), canonical, ancestors)) yield return item;
        }
        else if (Included(relative))
        {
            var display = Display(argument, relative);
            var folder = parts.Length > 1 ? string.Join('/', parts[..^1]) : "";
            yield return status.IsRegular
                ? new UploadCandidate(display, full, folder, RootName(root), status)
                : new WalkSkip(display, SkipReasons.NotAFile, $"{status.Kind.Describe()}, not a file; it was not opened");
        }
    }

    private static string RootName(string full) => Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar));

    private IEnumerable<WalkItem> WalkFolder(string argument, string rootName, string start, string startRelative, string startCanonical,
        HashSet<string> startAncestors)
    {
        var stack = new Stack<(string Path, string Relative, string Canonical, HashSet<string> Ancestors)>();
        stack.Push((start, startRelative, startCanonical, startAncestors));
        var visited = new HashSet<string>(StringComparer.Ordinal) { startCanonical };
        while (stack.Count > 0)
        {
            var (dir, relative, canonical, ancestors) = stack.Pop();
            List<string> names;
            string? error = null;
            try
            {
                // Names only: a FileSystemInfo per entry would cost an lstat each, and one statx below says all we need.
                names = [.. new FileSystemEnumerable<string>(dir, (ref FileSystemEntry entry) => entry.FileName.ToString(), Listing)];
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                names = [];
                error = e is UnauthorizedAccessException ? "permission denied" : e.Message;
            }

            if (error is not null)
            {
                yield return new WalkSkip(Display(argument, relative), SkipReasons.Unreadable, $"cannot read this folder ({error}); its files were not uploaded", IsFailure: true);
                continue;
            }

            names.Sort(StringComparer.Ordinal);
            var prefix = relative.Length == 0 ? "" : relative + "/";
            var displayPrefix = Display(argument, relative) is var shown && shown.EndsWith('/') ? shown : shown + "/";
            var dirPrefix = dir.EndsWith('/') ? dir : dir + "/";
            using var folder = FolderHandle.Open(dir);
            // Folders are pushed in reverse so they pop in name order, after this folder's files.
            var folders = new List<(string Path, string Relative, string Canonical, HashSet<string> Ancestors)>();
            foreach (var name in names)
            {
                var childRelative = prefix + name;
                var childPath = dirPrefix + name;
                // Through links: a link to a folder is walked, a link to a file is that file.
                var status = folder.Status(name, childPath, followLinks: true, out var entryErrno);
                if (status is null)
                {
                    if (!Included(childRelative)) continue;
                    var broken = folder.Status(name, childPath, followLinks: false, out _) is { Kind: FileKind.SymbolicLink };
                    yield return new WalkSkip(displayPrefix + name, SkipReasons.Unreadable,
                        broken ? "a symbolic link to nothing (its target is missing)" : $"cannot read it ({Posix.Describe(entryErrno)})");
                    continue;
                }

                if (status.Value.Kind == FileKind.Directory)
                {
                    if (FileClassifier.SkipFolder(name) is { } folderReason)
                    {
                        yield return new WalkSkip(displayPrefix + name + "/", folderReason);
                        continue;
                    }

                    var childCanonical = Canonical(new DirectoryInfo(childPath), canonical);
                    if (ancestors.Contains(childCanonical))
                    {
                        yield return new WalkSkip(displayPrefix + name + "/", SkipReasons.SymlinkLoop, "a link back to a folder it is inside");
                        continue;
                    }

                    // Reached again through another link: its files are already being walked.
                    if (!visited.Add(childCanonical)) continue;
                    folders.Add((childPath, childRelative, childCanonical, [.. ancestors, childCanonical]));
                }
                else
                {
                    if (!Included(childRelative)) continue;
                    yield return status.Value.IsRegular
                        ? new UploadCandidate(displayPrefix + name, childPath, relative, rootName, status.Value)
                        : new WalkSkip(displayPrefix + name, SkipReasons.NotAFile, $"{status.Value.Kind.Describe()}, not a file; it was not opened");
                }
            }

            for (var i = folders.Count - 1; i >= 0; i--) stack.Push(folders[i]);
        }
    }

    private static readonly EnumerationOptions Listing = new()
    {
        IgnoreInaccessible = false, AttributesToSkip = 0, ReturnSpecialDirectories = false, RecurseSubdirectories = false,
    };

    /// <summary>A folder open for <c>statx</c> relative to it; when it cannot be opened, full paths are used instead.</summary>
    private readonly struct FolderHandle(int fd) : IDisposable
    {
        public static FolderHandle Open(string path) => new(Posix.Open(path, Posix.ReadOnly | Posix.Directory | Posix.CloseOnExec, 0));

        public FileStatus? Status(string name, string fullPath, bool followLinks, out int errno) =>
            fd >= 0 ? FileStatus.TryOfAt(fd, name, followLinks, out errno) : FileStatus.TryOf(fullPath, followLinks, out errno);

        public void Dispose()
        {
            if (fd >= 0) Posix.Close(fd);
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
