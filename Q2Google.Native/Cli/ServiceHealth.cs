using Q2Google.State;

namespace Q2Google.Cli;

/// <summary>
/// <c>status --health</c> (docs/cli.md#status): judged from the jobs' status files alone, without a request, so a
/// container's HEALTHCHECK can ask every 30 s. When a run serves jobs (<c>--watch</c>), only they are judged: each
/// must have shown it is alive within the allowed age and have a working login. Otherwise (uploads run by cron), each
/// job's last pass must have finished within it.
/// </summary>
internal static class ServiceHealth
{
    /// <summary>Null when healthy; else one line saying why not.</summary>
    public static string? Problem(IReadOnlyList<ServiceStatus> jobs, DateTimeOffset now, TimeSpan maxAge, string stateDir)
    {
        if (jobs.Count == 0) return $"no upload or job has run with the state folder {stateDir} yet";
        foreach (var job in Judged(jobs))
        {
            if (job.LoginBroken) return $"{job.Job}: the login does not work ({job.LastError}); run `q2google auth login`{ProfileHint(job)}";
            if (job.Watching)
            {
                if (now - job.Alive > maxAge) return $"{job.Job}: its run (pid {job.Pid}) last showed it was alive {Ago(now - job.Alive)}; is it still running?";
                continue;
            }

            if (job.PassFinished is not { } finished) return $"{job.Job}: no pass has finished yet";
            if (now - finished > maxAge) return $"{job.Job}: its last pass finished {Ago(now - finished)}, longer ago than --max-age allows";
            if (job.LastError is { } error) return $"{job.Job}: {error}";
        }

        return null;
    }

    /// <summary>The jobs health is judged by: those a run serves now, when there are any; else all.</summary>
    public static IReadOnlyList<ServiceStatus> Judged(IReadOnlyList<ServiceStatus> jobs) =>
        jobs.Any(j => j.Watching) ? [.. jobs.Where(j => j.Watching)] : jobs;

    private static string Ago(TimeSpan age) => AuthCommands.Ago(age);

    private static string ProfileHint(ServiceStatus job) => job.Profile is { } profile ? $" --profile {profile}" : "";
}
