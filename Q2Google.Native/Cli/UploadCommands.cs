using System.Diagnostics;
using Q2Google.Api;
using Q2Google.Failures;
using Q2Google.IO;
using Q2Google.State;
using Q2Google.Upload;

namespace Q2Google.Cli;

internal sealed class UploadCommands(GooglePhotosApi api, Terminal terminal, RetryOptions retry, TimeProvider time, LibraryJournals journals,
    CliSettings settings)
{
    /// <summary><c>q2google upload</c> (summary, options and their help: <see cref="OptionTable"/>).</summary>
    public async Task<int> Upload(bool json = false, bool dryRun = false, bool force = false, bool albumPerFolder = false,
        string? album = null, string? albumId = null, string? description = null, string? include = null, string? exclude = null,
        int concurrency = 4, string chunkSize = "16M", long maxRequests = 0, CancellationToken cancellationToken = default,
        [ConsoleAppFramework.Argument] params string[] paths)
    {
        var options = Validate(album, albumId, albumPerFolder, description, include, exclude, concurrency, chunkSize, maxRequests, dryRun, force);
        RequireExisting(paths);
        api.MaxRequests = maxRequests;
        var client = new GooglePhotosClient(api, retry: retry) { ChunkSize = options.ChunkSize, RawUploadLimit = options.RawUploadLimit };
        using var journal = dryRun
            ? await journals.ReadAsync(cancellationToken).ConfigureAwait(false)
            : await journals.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var progress = new ProgressDisplay(terminal);
        var reporter = new UploadReporter(terminal, json, progress);
        var pipeline = new UploadRun(api, client, journal, options, reporter.Report, progress, time, note => { progress.Clear(); terminal.Info(note); });
        var clock = Stopwatch.StartNew();
        try
        {
            await pipeline.RunAsync(paths, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            progress.Dispose();
            var estimate = dryRun ? pipeline.EstimatedRequests : (long?)null;
            var summary = reporter.Summary(pipeline.Seen, api.RequestCount, clock.Elapsed, estimate) with { Stopped = pipeline.StopReason };
            reporter.PrintSummary(summary);
        }

        if (pipeline.StopReason is { } stopped)
        {
            terminal.ReportError(stopped);
            return ExitCodes.DailyQuota;
        }

        return reporter.ExitCode;
    }

    /// <summary>A PATH that does not exist is a mistake on the command line: said once, before anything is sent.</summary>
    private static void RequireExisting(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            if (FileStatus.TryOf(Path.GetFullPath(path), followLinks: true, out var errno) is null && errno is Posix.ENOENT or Posix.ENOTDIR)
            {
                throw new UsageException($"no such file or folder: {TerminalText.Escape(path)}; check the path");
            }
        }
    }

    private UploadOptions Validate(string? album, string? albumId, bool albumPerFolder, string? description, string? include, string? exclude,
        int concurrency, string chunkSize, long maxRequests, bool dryRun, bool force)
    {
        if ((album is not null ? 1 : 0) + (albumId is not null ? 1 : 0) + (albumPerFolder ? 1 : 0) > 1)
        {
            throw new UsageException("use only one of --album, --album-id and --album-per-folder");
        }

        if (album is not null && (album.Trim().Length == 0 || album.Length > 500)) throw new UsageException("--album needs a title of 1 to 500 characters");
        if (description is { Length: >= 1000 }) throw new UsageException($"--description must be shorter than 1000 characters (it has {description.Length})");
        if (concurrency is < 1 or > 32) throw new UsageException($"--concurrency {concurrency} must be between 1 and 32");
        if (maxRequests < 0) throw new UsageException("--max-requests must be 0 (no limit) or more");
        return new UploadOptions
        {
            Album = album,
            AlbumId = albumId,
            AlbumPerFolder = albumPerFolder,
            Description = description,
            Include = Globs(include),
            Exclude = Globs(exclude),
            Concurrency = concurrency,
            ChunkSize = ByteSize.Parse(chunkSize, "--chunk-size"),
            DryRun = dryRun,
            Force = force,
            AlbumItemLimit = settings.AlbumItemLimit,
        };
    }

    /// <summary>Repeated options arrive joined by newlines (see <see cref="CommandLine"/>).</summary>
    private static string[] Globs(string? value) => (value ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
