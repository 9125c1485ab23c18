using Q2Google.Api;
using Q2Google.Failures;
using Q2Google.Upload;

namespace Q2Google.Cli;

/// <summary>What <c>upload</c> and <c>run</c> share in serving a job: its service options, its upload client, its exit code.</summary>
internal static class JobServing
{
    /// <summary>How a pass that ended by itself (not by an exception) ends the command (docs/cli.md#exit-codes).</summary>
    public static int ExitCodeOf(PassResult pass) =>
        pass.StopReason is not null ? ExitCodes.DailyQuota : pass.Failed > 0 ? ExitCodes.SomeFilesFailed : ExitCodes.Success;

    /// <summary>The upload client of a job: its chunks as the options say.</summary>
    public static GooglePhotosClient ClientFor(GooglePhotosApi api, UploadOptions options, RetryOptions retry) => new(api, retry: retry)
    {
        ChunkSize = options.ChunkSize, ChunkDuration = options.ChunkDuration, RawUploadLimit = options.RawUploadLimit,
    };

    /// <summary>How long a run serves its job: <c>--watch</c>, <c>--wait-for-quota</c>, and the durations only a watch uses.</summary>
    public static ServiceOptions ServiceOptionsOf(bool watch, bool waitForQuota, string? settle, string? rescan, bool dryRun, int maxWatches)
    {
        if (dryRun && (watch || waitForQuota)) throw new UsageException("--dry-run only plans: it cannot be combined with --watch or --wait-for-quota");
        if (!watch && settle is not null) throw new UsageException("--settle only applies with --watch");
        if (!watch && rescan is not null) throw new UsageException("--rescan only applies with --watch");
        var options = new ServiceOptions { Watch = watch, WaitForQuota = waitForQuota || watch, MaxWatches = maxWatches };
        if (settle is not null) options = options with { Settle = DurationText.Parse(settle, "--settle") };
        if (rescan is not null)
        {
            var every = DurationText.Parse(rescan, "--rescan");
            if (every < TimeSpan.FromSeconds(1)) throw new UsageException($"--rescan {TerminalText.Escape(rescan)} is too often; use 1s or more (15m suits most)");
            options = options with { Rescan = every };
        }

        return options;
    }
}
