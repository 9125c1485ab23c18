using Q2Google.Api;
using Q2Google.Auth;
using Q2Google.Failures;
using Q2Google.State;
using Q2Google.Upload;

namespace Q2Google.Cli;

internal sealed class RunCommands(CliSettings settings, Terminal terminal, RetryOptions retry, TimeProvider time, IHttpClientFactory http,
    OAuthTokenClient oauth, IOAuthBrowser browser)
{
    /// <summary><c>q2google run</c> (summary, options and their help: <see cref="OptionTable"/>).</summary>
    public async Task<int> Run(string? config = null, bool watch = false, long maxRequests = 0, string? settle = null, string? rescan = null,
        bool dryRun = false, bool json = false, CancellationToken cancellationToken = default)
    {
        if (maxRequests < 0) throw new UsageException("--max-requests must be 0 (no limit) or more");
        var service = JobServing.ServiceOptionsOf(watch, waitForQuota: false, settle, rescan, dryRun, settings.MaxWatches);
        var specs = JobsFile.Load(config ?? Path.Combine(settings.ConfigDir, "jobs.json"), settings);
        var options = specs.ToDictionary(s => s.Name, s => OptionsOf(s, dryRun));

        // One login per profile; one journal per library, which two profiles of one account share. Jobs of one
        // library take turns with their passes.
        var libraries = specs.Select(s => s.Profile).Distinct().ToDictionary(p => p ?? "", p =>
            new ProfileLibrary(p is null ? settings : settings.ForProfile(p), http, oauth, browser, terminal, retry, time));
        var journals = new Dictionary<string, Journal>();
        var turns = new Dictionary<string, SemaphoreSlim>();
        var libraryOf = new Dictionary<string, string>();
        try
        {
            foreach (var (profile, library) in libraries)
            {
                try
                {
                    if (dryRun)
                    {
                        journals[profile] = await library.Journals.ReadAsync(cancellationToken).ConfigureAwait(false);
                        libraryOf[profile] = profile;
                        turns[profile] = new SemaphoreSlim(1, 1);
                        continue;
                    }

                    var identity = await library.Journals.CurrentAsync(cancellationToken).ConfigureAwait(false);
                    libraryOf[profile] = identity.Key;
                    if (journals.ContainsKey(identity.Key)) continue;
                    journals[identity.Key] = await library.Journals.OpenAsync(identity, cancellationToken).ConfigureAwait(false);
                    turns[identity.Key] = new SemaphoreSlim(1, 1);
                }
                catch (Exception e) when (FailurePolicy.Classify(e) == FailureKind.Authentication)
                {
                    var who = profile.Length == 0 ? "the default login" : $"profile {profile}";
                    throw new AuthenticationRequiredException($"{who} (jobs {string.Join(", ", specs.Where(s => (s.Profile ?? "") == profile).Select(s => s.Name))}): {e.Message}", e);
                }
            }

            // Google counts the daily quota per OAuth client: jobs whose logins share one share it.
            var quotas = new Dictionary<string, SharedQuota>();
            var jobs = new List<(UploadJob Job, ProfileLibrary Library)>();
            foreach (var spec in specs)
            {
                var library = libraries[spec.Profile ?? ""];
                var identity = library.Journals.Identity;
                var client = identity?.ClientId ?? "";
                if (!quotas.TryGetValue(client, out var quota)) quotas[client] = quota = new SharedQuota(ShortClient(client), maxRequests, time, daily: watch);
                var api = library.NewApi();
                api.Gate = quota.For(spec.Name);
                jobs.Add((new UploadJob(spec.Name, identity?.Describe(), spec.Paths, options[spec.Name], api, JobServing.ClientFor(api, options[spec.Name], retry),
                    journals[libraryOf[spec.Profile ?? ""]], quota) { Turn = turns[libraryOf[spec.Profile ?? ""]], Profile = library.Settings.Profile }, library));
            }

            foreach (var quota in quotas.Values.Where(q => q.Jobs > 1))
            {
                var names = string.Join(", ", jobs.Where(j => j.Job.Quota == quota).Select(j => j.Job.Name));
                terminal.Info($"jobs {names} share the daily quota of OAuth client {quota.Client} (Google counts it per client, not per account)" +
                              (maxRequests > 0 ? $": {maxRequests} requests a day, an equal share for each job with work to do" : ": when it is used up, they all wait"));
            }

            var statusFiles = dryRun ? null : new ServiceStatusFiles(settings.StateDir);
            if (statusFiles is not null && watch)
            {
                // A job taken out of the jobs file is no longer served: its last status must not keep the health check failing.
                foreach (var gone in statusFiles.ReadAll().Where(s => s.Watching && specs.All(j => j.Name != s.Job))) statusFiles.Remove(gone.Job);
            }

            var serving = service.Watch;
            var runs = jobs.Select(j => ServeAsync(j.Job, service, serving, jobs.Count == 1, json, statusFiles, cancellationToken)).ToList();
            var codes = await Task.WhenAll(runs).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return Worst(codes);
        }
        finally
        {
            foreach (var journal in journals.Values) journal.Dispose();
            foreach (var turn in turns.Values) turn.Dispose();
        }
    }

    /// <summary>One job to its end; a failure ends this job (said on stderr, with its name), never the others.</summary>
    private async Task<int> ServeAsync(UploadJob job, ServiceOptions service, bool serving, bool alone, bool json, ServiceStatusFiles? statusFiles,
        CancellationToken cancellationToken)
    {
        var runner = new UploadService(job, service, new ServiceReporter(terminal, json, job.Name, serving, draw: alone), statusFiles, time);
        try
        {
            await runner.RunAsync(cancellationToken).ConfigureAwait(false);
            return JobServing.ExitCodeOf(runner.LastPass!);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var outcome = ExitCodeMapper.Map(e);
            terminal.ReportError($"job {job.Name}: {outcome.Message}");
            return outcome.ExitCode;
        }
    }

    /// <summary>The exit code that says the most: a login to fix, then a quota stop, then failed files.</summary>
    private static int Worst(IEnumerable<int> codes)
    {
        int[] order = [ExitCodes.Usage, ExitCodes.Authentication, ExitCodes.DailyQuota, ExitCodes.SomeFilesFailed];
        var all = codes.ToList();
        return order.FirstOrDefault(all.Contains, ExitCodes.Success);
    }

    private UploadOptions OptionsOf(JobSpec job, bool dryRun) => new()
    {
        Album = job.Album,
        AlbumId = job.AlbumId,
        AlbumPerFolder = job.AlbumPerFolder,
        Description = job.Description,
        Include = job.Include,
        Exclude = job.Exclude,
        ChunkDuration = UploadOptions.DefaultChunkDuration,
        DryRun = dryRun,
        AlbumItemLimit = settings.AlbumItemLimit,
    };

    private static string ShortClient(string clientId) => clientId.Length == 0 ? "(unknown)" : AuthorizedUserToken.ShortClientId(clientId);
}
