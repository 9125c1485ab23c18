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
        int concurrency = 16, string? chunkSize = null, long maxRequests = 0, bool emulator = false, bool watch = false, bool waitForQuota = false,
        string? settle = null, string? rescan = null, CancellationToken cancellationToken = default,
        [ConsoleAppFramework.Argument] params string[] paths)
    {
        var options = Validate(album, albumId, albumPerFolder, description, include, exclude, concurrency, chunkSize, maxRequests, dryRun, force);
        var service = JobServing.ServiceOptionsOf(watch, waitForQuota, settle, rescan, dryRun, settings.MaxWatches);
        RequireExisting(paths);
        if (!emulator) return await UploadAsync(api, journals, options, service, maxRequests, json, paths, cancellationToken).ConfigureAwait(false);

        await using var practice = await PracticeLibrary.StartAsync(settings, http, oauth, browser, terminal, retry, time, cancellationToken).ConfigureAwait(false);
        terminal.Info($"Practice run: uploading to a throw-away emulator at {practice.Url} in this process; nothing leaves this machine.");
        var exitCode = await UploadAsync(practice.Api, practice.Journals, options, service, maxRequests, json, paths, cancellationToken).ConfigureAwait(false);
        terminal.Info(practice.Describe());
        terminal.Info("That was a practice run: the emulator and its journal are gone now, and your login and journal were not touched. " +
                      "To upload to your Google Photos, create an OAuth client and run 'q2google auth login' (README: \"Create your Google Cloud OAuth client\").");
        return exitCode;
    }

    private async Task<int> UploadAsync(GooglePhotosApi api, LibraryJournals journals, UploadOptions options, ServiceOptions service, long maxRequests,
        bool json, string[] paths, CancellationToken cancellationToken)
    {
        using var journal = options.DryRun
            ? await journals.ReadAsync(cancellationToken).ConfigureAwait(false)
            : await journals.OpenAsync(cancellationToken).ConfigureAwait(false);
        var identity = journals.Identity;
        var quota = new SharedQuota(identity?.ClientId ?? "", maxRequests, time, daily: service.WaitForQuota);
        api.Gate = quota.For(UploadJobName);
        var job = new UploadJob(UploadJobName, identity?.Describe(), paths, options, api, JobServing.ClientFor(api, options, retry), journal, quota) { Profile = settings.Profile };
        var serving = service.Watch || service.WaitForQuota;
        var observer = new ServiceReporter(terminal, json, job: null, serving, draw: true);
        var statusFiles = options.DryRun ? null : new ServiceStatusFiles(journals.State.Root);
        var runner = new UploadService(job, service, observer, statusFiles, time);
        var indexProblem = journal.IndexProblem;
        try
        {
            await runner.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (journal.IndexProblem != indexProblem) JournalWarnings.ReportIndex(journal, terminal);
        }

        return JobServing.ExitCodeOf(runner.LastPass!);
    }

    /// <summary>The name of <c>upload</c>'s status file: one per profile, as each profile is its own library.</summary>
    private string UploadJobName => settings.Profile is { } profile ? "upload-" + profile : "upload";

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
        if (UploadChoices.Problem(album, albumId, albumPerFolder, description, OptionName) is { } problem) throw new UsageException(problem);
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

    /// <summary>An upload choice as the option that makes it: <c>albumPerFolder</c> is <c>--album-per-folder</c>.</summary>
    private static string OptionName(string choice) => "--" + string.Concat(choice.Select(c => char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>Repeated options arrive joined by newlines (see <see cref="CommandLine"/>).</summary>
    private static string[] Globs(string? value) => (value ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
