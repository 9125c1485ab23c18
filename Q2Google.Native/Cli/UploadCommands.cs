using Q2Google.Api;
using Q2Google.Upload;

namespace Q2Google.Cli;

internal sealed class UploadCommands(GooglePhotosApi api, Terminal terminal, RetryOptions retry)
{
    /// <summary>Upload photos and videos to your Google Photos library.</summary>
    /// <param name="json">Print NDJSON on stdout: one object per file, then a summary.</param>
    /// <param name="description">Description for every new item (shorter than 1000 characters).</param>
    /// <param name="chunkSize">Resumable chunk size, e.g. 16M (rounded up to the server's granularity).</param>
    /// <param name="paths">Files to upload.</param>
    public async Task<int> Upload(bool json = false, string? description = null, string chunkSize = "16M",
        CancellationToken cancellationToken = default, [ConsoleAppFramework.Argument] params string[] paths)
    {
        if (description is { Length: >= 1000 }) throw new UsageException($"--description must be shorter than 1000 characters (it has {description.Length})");
        var client = new GooglePhotosClient(api, retry: retry) { ChunkSize = ByteSize.Parse(chunkSize, "--chunk-size") };
        var reporter = new UploadReporter(terminal, json);
        var summary = await new FileListUpload(api, client, reporter).RunAsync(paths, description, cancellationToken).ConfigureAwait(false);
        reporter.PrintSummary(summary);
        return reporter.ExitCode;
    }
}
