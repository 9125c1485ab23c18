using System.Text.Json.Serialization;

namespace Q2Google.Cli;

// The NDJSON records of `verify --json` (docs/cli.md#verify); property order is the documented order.

/// <summary>An item <c>verify</c> could not prove is in the library.</summary>
internal sealed record ItemReport
{
    /// <summary><c>missing</c> or <c>unchecked</c>.</summary>
    [JsonPropertyOrder(0)] public required string Type { get; init; }

    /// <summary>Where its content was last seen; absent when the journal has no path for it.</summary>
    [JsonPropertyOrder(1)] public string? Path { get; init; }

    [JsonPropertyOrder(2)] public required string MediaItemId { get; init; }

    /// <summary>Missing items: whether a regular file is still at <see cref="Path"/>.</summary>
    [JsonPropertyOrder(3)] public bool? LocalFile { get; init; }

    /// <summary>Missing items: <c>marked</c> (by <c>--repair</c>: the next upload sends it) or <c>unrepairable</c> (its file is gone).</summary>
    [JsonPropertyOrder(4)] public string? Repair { get; init; }

    /// <summary>Unchecked items: Google's answer.</summary>
    [JsonPropertyOrder(5)] public string? Reason { get; init; }
}

/// <summary>The last NDJSON line of <c>verify --json</c>. present + missing = checked; checked + unchecked + notChecked = selected.</summary>
internal sealed record VerifySummaryReport
{
    [JsonPropertyOrder(0)] public string Type { get; init; } = "summary";

    /// <summary>Uploaded items the journal holds (under the PATHs given).</summary>
    [JsonPropertyOrder(1)] public int Items { get; init; }

    /// <summary>Items chosen to check: all of them, or the sample.</summary>
    [JsonPropertyOrder(2)] public int Selected { get; init; }

    [JsonPropertyOrder(3)] public int Checked { get; init; }
    [JsonPropertyOrder(4)] public int Present { get; init; }
    [JsonPropertyOrder(5)] public int Missing { get; init; }
    [JsonPropertyOrder(6)] public int Unrepairable { get; init; }

    /// <summary>With <c>--repair</c>: missing items marked as not uploaded.</summary>
    [JsonPropertyOrder(7)] public int? Marked { get; init; }

    [JsonPropertyOrder(8)] public int? Unchecked { get; init; }

    /// <summary>Selected items not reached because the run stopped early (quota, <c>--max-requests</c>).</summary>
    [JsonPropertyOrder(9)] public int? NotChecked { get; init; }

    [JsonPropertyOrder(10)] public double? SampledPercent { get; init; }

    /// <summary>With <c>--sample</c>: the missing items all of <see cref="Items"/> likely hold, extrapolated from the sample.</summary>
    [JsonPropertyOrder(11)] public long? EstimatedMissing { get; init; }

    [JsonPropertyOrder(12)] public long EstimatedRequests { get; init; }
    [JsonPropertyOrder(13)] public long Requests { get; init; }
    [JsonPropertyOrder(14)] public double Seconds { get; init; }
    [JsonPropertyOrder(15)] public string? Stopped { get; init; }
}
