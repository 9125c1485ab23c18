using System.Text.Json;
using System.Text.Json.Serialization;
using Q2Google.State;

namespace Q2Google.Cli;

internal sealed class StatusCommands(CliSettings settings, Terminal terminal, TimeProvider time)
{
    /// <summary>Show what the upload journal knows: files uploaded, pending (with bytes confirmed), failed (with reasons), albums.</summary>
    /// <param name="json">Print it as one JSON object.</param>
    public int Status(bool json = false)
    {
        // Read-only and lock-free: it can watch a running upload.
        using var journal = Journal.ReadOnly(settings.StateDir, time);
        var contents = journal.Contents;
        var created = contents.Where(c => c.IsCreated).ToList();
        var report = new JournalStatus
        {
            StateDir = settings.StateDir,
            Uploaded = created.Count,
            UploadedBytes = created.Sum(c => c.Size),
            Pending = [.. contents.Where(c => !c.IsCreated && (c.Token is not null || c.SessionUrl is not null)).Select(c => new PendingFile
            {
                Path = c.LastPath, Size = c.Size, Confirmed = c.Token is not null ? c.Size : c.Offset,
                Stage = c.Token is not null ? "bytes uploaded, media item not yet created" : "uploading",
            })],
            Failed = [.. contents.Where(c => !c.IsCreated && c.LastFailure is not null && c.Token is null && c.SessionUrl is null)
                .Select(c => new FailedFile { Path = c.LastFailurePath ?? c.LastPath, Reason = c.LastFailure! })],
            Albums = [.. journal.Albums.Select(a => new AlbumSummary { Title = a.Title, Id = a.Id, Items = a.Count, Full = a.Full })],
        };

        if (json)
        {
            terminal.Out.WriteLine(JsonSerializer.Serialize(report, StatusJsonContext.Default.JournalStatus));
            return ExitCodes.Success;
        }

        var o = terminal.Out;
        o.WriteLine($"state:     {report.StateDir}");
        o.WriteLine($"uploaded:  {report.Uploaded} files ({UploadReporter.FormatBytes(report.UploadedBytes)})");
        o.WriteLine($"pending:   {report.Pending.Count} files");
        foreach (var p in report.Pending) o.WriteLine($"  {p.Path}: {UploadReporter.FormatBytes(p.Confirmed)} of {UploadReporter.FormatBytes(p.Size)} confirmed ({p.Stage})");
        o.WriteLine($"failed:    {report.Failed.Count} files (they are tried again on the next run)");
        foreach (var f in report.Failed) o.WriteLine($"  {f.Path}: {f.Reason}");
        o.WriteLine($"albums:    {report.Albums.Count}");
        foreach (var a in report.Albums) o.WriteLine($"  {a.Title}: {a.Items} items{(a.Full ? " (full)" : "")}  {a.Id}");
        return ExitCodes.Success;
    }
}

public sealed record JournalStatus
{
    public required string StateDir { get; init; }
    public int Uploaded { get; init; }
    public long UploadedBytes { get; init; }
    public required IReadOnlyList<PendingFile> Pending { get; init; }
    public required IReadOnlyList<FailedFile> Failed { get; init; }
    public required IReadOnlyList<AlbumSummary> Albums { get; init; }
}

public sealed record PendingFile
{
    public string? Path { get; init; }
    public long Size { get; init; }
    public long Confirmed { get; init; }
    public required string Stage { get; init; }
}

public sealed record FailedFile
{
    public string? Path { get; init; }
    public required string Reason { get; init; }
}

public sealed record AlbumSummary
{
    public required string Title { get; init; }
    public required string Id { get; init; }
    public int Items { get; init; }
    public bool Full { get; init; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JournalStatus))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
