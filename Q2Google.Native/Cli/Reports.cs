using System.Text.Json;
using System.Text.Json.Serialization;

namespace Q2Google.Cli;

// The NDJSON records of `upload --json` (docs/cli.md#ndjson-records); property order is the documented order.

internal sealed record FileReport
{
    [JsonPropertyOrder(0)] public string Type { get; init; } = "file";
    [JsonPropertyOrder(1)] public required string Path { get; init; }

    /// <summary><c>uploaded</c>, <c>already-uploaded</c>, <c>skipped</c>, <c>failed</c> or <c>planned</c>.</summary>
    [JsonPropertyOrder(2)] public required string Status { get; init; }

    [JsonPropertyOrder(3)] public string? MediaItemId { get; init; }
    [JsonPropertyOrder(4)] public string? ProductUrl { get; init; }
    [JsonPropertyOrder(5)] public string? AlbumId { get; init; }
    [JsonPropertyOrder(6)] public long? Bytes { get; init; }
    [JsonPropertyOrder(7)] public string? Reason { get; init; }

    /// <summary>A longer explanation of <see cref="Reason"/> for people (stderr); the JSON keeps the short code.</summary>
    [JsonIgnore] public string? Detail { get; init; }

    /// <summary><c>run</c>: the job the file belongs to.</summary>
    [JsonPropertyOrder(8)] public string? Job { get; init; }
}

/// <summary>
/// The last NDJSON line of <c>upload --json</c>. Its counts always add up to <see cref="Seen"/>:
/// uploaded + alreadyUploaded + skipped + failed (+ planned in a dry run) + notAttempted.
/// </summary>
internal sealed record SummaryReport
{
    [JsonPropertyOrder(0)] public string Type { get; init; } = "summary";
    [JsonPropertyOrder(1)] public int Uploaded { get; init; }

    /// <summary>Files whose content the library already holds (found by the journal); not counted in <see cref="Skipped"/>.</summary>
    [JsonPropertyOrder(2)] public int AlreadyUploaded { get; init; }

    [JsonPropertyOrder(3)] public int Skipped { get; init; }
    [JsonPropertyOrder(4)] public int Failed { get; init; }

    /// <summary>Files found but never tried because the run stopped early (quota, budget, Ctrl+C, a fatal error); absent otherwise.</summary>
    [JsonPropertyOrder(5)] public int? NotAttempted { get; init; }

    /// <summary>Everything the walk found: files and the entries it skipped.</summary>
    [JsonPropertyOrder(6)] public int Seen { get; init; }

    [JsonPropertyOrder(7)] public long Bytes { get; init; }
    [JsonPropertyOrder(8)] public long Requests { get; init; }
    [JsonPropertyOrder(9)] public double Seconds { get; init; }

    /// <summary>Files a dry run would upload.</summary>
    [JsonPropertyOrder(10)] public int? Planned { get; init; }

    /// <summary>A dry run's estimate of the API requests the real run would make.</summary>
    [JsonPropertyOrder(11)] public long? EstimatedRequests { get; init; }

    /// <summary>Why the run stopped before the end (daily quota, request budget, interruption, a fatal error), if it did.</summary>
    [JsonPropertyOrder(12)] public string? Stopped { get; init; }

    /// <summary><c>run</c>: the job whose pass this was.</summary>
    [JsonPropertyOrder(13)] public string? Job { get; init; }

    /// <summary>A served job (<c>--watch</c>, <c>--wait-for-quota</c>): <c>whole</c> (every PATH walked) or <c>changes</c> (what the watch saw change).</summary>
    [JsonPropertyOrder(14)] public string? Pass { get; init; }
}

/// <summary>A served job can send nothing more until <see cref="Until"/>: Google's daily quota, or the day's request budget.</summary>
internal sealed record WaitingReport
{
    [JsonPropertyOrder(0)] public string Type { get; init; } = "waiting";
    [JsonPropertyOrder(1)] public string? Job { get; init; }

    /// <summary><c>quota</c> (Google said the day's quota is used up) or <c>budget</c> (<c>--max-requests</c>).</summary>
    [JsonPropertyOrder(2)] public required string Reason { get; init; }

    [JsonPropertyOrder(3)] public required DateTimeOffset Until { get; init; }
}

/// <summary>A served job's pass failed in a way time may cure (the network, the login); it is tried again at <see cref="RetryAt"/>.</summary>
internal sealed record TroubleReport
{
    [JsonPropertyOrder(0)] public string Type { get; init; } = "trouble";
    [JsonPropertyOrder(1)] public string? Job { get; init; }
    [JsonPropertyOrder(2)] public required string Message { get; init; }
    [JsonPropertyOrder(3)] public required DateTimeOffset RetryAt { get; init; }
}
