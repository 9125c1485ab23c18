using System.Diagnostics;
using Q2Google.Api;
using Q2Google.Auth;
using Q2Google.Failures;
using Q2Google.IO;
using Q2Google.State;
using Q2Google.Upload;

namespace Q2Google.Cli;

internal sealed class UploadCommands(GooglePhotosApi api, Terminal terminal, RetryOptions retry, TimeProvider time, LibraryJournals journals,
    CliSettings settings, IHttpClientFactory http, OAuthTokenClient oauth, IOAuthBrowser browser)
{
    /// <summary><c>q2google upload</c> (summary, options and their help: <see cref="OptionTable"/>).</summary>
    public async Task<int> Upload(bool json = false, bool dryRun = false, bool force = false, bool albumPerFolder = false,
        string? album = null, string? albumId = null, string? description = null, string? include = null, string? exclude = null,
        int concurrency = 16, string? chunkSize = null, long maxRequests = 0, bool emulator = false, CancellationToken cancellationToken = default,
        [ConsoleAppFramework.Argument] params string[] paths)
    {
        var options = Validate(album, albumId, albumPerFolder, description, include, exclude, concurrency, chunkSize, maxRequests, dryRun, force);
        RequireExisting(paths);
        if (!emulator) return await UploadAsync(api, journals, options, maxRequests, json, paths, cancellationToken).ConfigureAwait(false);

        await using var practice = await PracticeLibrary.StartAsync(settings, http, oauth, browser, terminal, retry, time, cancellationToken).ConfigureAwait(false);
        terminal.Info($"Practice run: uploading to a throw-away emulator at {practice.Url} in this process; nothing leaves this machine.");
        var exitCode = await UploadAsync(practice.Api, practice.Journals, options, maxRequests, json, paths, cancellationToken).ConfigureAwait(false);
        terminal.Info("That was a practice run: the emulator and its journal are gone now, and your login and journal were not touched. " +
                      "To upload to your Google Photos, create an OAuth client and run 'q2google auth login' (README: \"Create your Google Cloud OAuth client\").");
        return exitCode;
    }

    private async Task<int> UploadAsync(GooglePhotosApi api, LibraryJournals journals, UploadOptions options, long maxRequests, bool json, string[] paths,
        CancellationToken cancellationToken)
    {
        var dryRun = options.DryRun;
        api.MaxRequests = maxRequests;
        var client = new GooglePhotosClient(api, retry: retry)
        {
            ChunkSize = options.ChunkSize, ChunkDuration = options.ChunkDuration, RawUploadLimit = options.RawUploadLimit,
        };
        using var journal = dryRun
            ? await journals.ReadAsync(cancellationToken).ConfigureAwait(false)
            : await journals.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var progress = new ProgressDisplay(terminal);
        var reporter = new UploadReporter(terminal, json, progress);
        var pipeline = new UploadRun(api, client, journal, options, reporter.Report, progress, time, note => { progress.Clear(); terminal.Info(note); });
        var clock = Stopwatch.StartNew();
        var indexProblem = journal.IndexProblem;
        var ended = false;
        try
        {
            await pipeline.RunAsync(paths, cancellationToken).ConfigureAwait(false);
            ended = true;
        }
        finally
        {
            progress.Dispose();
            if (journal.IndexProblem != indexProblem) JournalWarnings.ReportIndex(journal, terminal);
            // A run stopped by an error before any file had an outcome has nothing to count: the error alone says what happened.
            if (ended || reporter.Finished > 0) PrintSummary(api, reporter, pipeline, clock.Elapsed, dryRun);
        }

        if (pipeline.StopReason is { } stopped)
        {
            terminal.ReportError(stopped);
            return ExitCodes.DailyQuota;
        }

        return reporter.ExitCode;
    }

    private static void PrintSummary(GooglePhotosApi api, UploadReporter reporter, UploadRun pipeline, TimeSpan elapsed, bool dryRun)
    {
        var estimate = dryRun ? pipeline.EstimatedRequests : (long?)null;
        reporter.PrintSummary(reporter.Summary(pipeline.Seen, api.RequestCount, elapsed, estimate) with { Stopped = pipeline.StopReason });
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
        int concurrency, string? chunkSize, long maxRequests, bool dryRun, bool force)
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
            // Chunks the person sized stay that size; otherwise they grow to what the line carries in a few seconds.
            ChunkSize = chunkSize is null ? UploadOptions.DefaultChunkSize : ByteSize.Parse(chunkSize, "--chunk-size"),
            ChunkDuration = chunkSize is null ? UploadOptions.DefaultChunkDuration : null,
            DryRun = dryRun,
            Force = force,
            AlbumItemLimit = settings.AlbumItemLimit,
        };
    }

    /// <summary>Repeated options arrive joined by newlines (see <see cref="CommandLine"/>).</summary>
    private static string[] Globs(string? value) => (value ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
