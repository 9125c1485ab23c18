using System.Diagnostics;
using Q2Google.Api;
using Q2Google.Upload;

namespace Q2Google.Cli;

/// <summary>
/// Uploads the files named on the command line one after another, then creates their media items in
/// batches of up to 50. A bad file is reported and skipped; the others still upload.
/// </summary>
public sealed class FileListUpload(GooglePhotosApi api, GooglePhotosClient client, UploadReporter reporter)
{
    private sealed record Uploaded(string Path, string FileName, long Bytes, ResumableUploadSession Session);

    public async Task<SummaryReport> RunAsync(IReadOnlyList<string> paths, string? description, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var pending = new List<Uploaded>();
        foreach (var path in paths)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await UploadOneAsync(path, cancellationToken).ConfigureAwait(false) is { } uploaded) pending.Add(uploaded);
            if (pending.Count == GooglePhotosClient.LibraryBatchSize)
            {
                await CreateAsync(pending, description, cancellationToken).ConfigureAwait(false);
                pending.Clear();
            }
        }

        if (pending.Count > 0) await CreateAsync(pending, description, cancellationToken).ConfigureAwait(false);
        return reporter.Summary(api.RequestCount, clock.Elapsed);
    }

    private async Task<Uploaded?> UploadOneAsync(string path, CancellationToken cancellationToken)
    {
        var fileName = Path.GetFileName(path);
        if (Directory.Exists(path))
        {
            reporter.Report(Failed(path, "is a directory; name the files inside it"));
            return null;
        }

        FileInfo info;
        try
        {
            info = new FileInfo(path);
            if (!info.Exists)
            {
                reporter.Report(Failed(path, "no such file; check the path"));
                return null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            reporter.Report(Failed(path, e.Message));
            return null;
        }

        if (info.Length == 0)
        {
            reporter.Report(new FileReport { Path = path, Status = "skipped", Reason = "empty-file" });
            return null;
        }

        if (MediaTypes.FromFileName(fileName) is not { } contentType)
        {
            reporter.Report(new FileReport { Path = path, Status = "skipped", Reason = "unsupported-type" });
            return null;
        }

        if (info.Length > MediaTypes.SizeLimit(contentType))
        {
            reporter.Report(Failed(path, $"too large for Google Photos ({UploadReporter.FormatBytes(info.Length)}; the limit is " +
                                         $"{UploadReporter.FormatBytes(MediaTypes.SizeLimit(contentType))} for this type)"));
            return null;
        }

        try
        {
            var session = await client.UploadFileAsync(fileName, path, new UploadFileOptions { ContentType = contentType }, cancellationToken).ConfigureAwait(false);
            return new Uploaded(path, fileName, info.Length, session);
        }
        catch (UnauthorizedAccessException)
        {
            reporter.Report(Failed(path, "permission denied: the file cannot be read; fix its permissions"));
        }
        catch (Exception e) when (e is IOException or GooglePhotosApiException { IsDailyQuotaExhausted: false, IsInsufficientScope: false, StatusCode: not System.Net.HttpStatusCode.Unauthorized }
                                       or TimeoutException or HttpRequestException or InvalidOperationException)
        {
            reporter.Report(Failed(path, e.Message));
        }

        return null;
    }

    private async Task CreateAsync(List<Uploaded> batch, string? description, CancellationToken cancellationToken)
    {
        var items = batch.Select(u => new NewMediaItem
        {
            Description = description,
            SimpleMediaItem = new SimpleMediaItem { UploadToken = u.Session.UploadToken!, FileName = u.FileName },
        }).ToList();
        var responses = await client.CreateMediaItemsAsync(items, null, cancellationToken).ConfigureAwait(false);
        var results = responses.SelectMany(r => r.NewMediaItemResults ?? []).ToList();
        for (var i = 0; i < batch.Count; i++)
        {
            var file = batch[i];
            // Match by token; Google's order is not documented (PROTOCOL.md 3.3).
            var result = results.FirstOrDefault(r => r.UploadToken == file.Session.UploadToken)
                         ?? (results.Count == batch.Count ? results[i] : null);
            if (result is null)
            {
                reporter.Report(Failed(file.Path, "Google's answer did not mention this file"));
            }
            else if (result.Status?.IsOk ?? true)
            {
                reporter.Report(new FileReport
                {
                    Path = file.Path,
                    Status = "uploaded",
                    MediaItemId = result.MediaItem?.Id,
                    ProductUrl = result.MediaItem?.ProductUrl,
                    Bytes = file.Bytes,
                });
            }
            else
            {
                reporter.Report(Failed(file.Path, $"Google refused to create the media item (code {result.Status!.Code}): {result.Status.Message}"));
            }
        }
    }

    private static FileReport Failed(string path, string reason) => new() { Path = path, Status = "failed", Reason = reason };
}
