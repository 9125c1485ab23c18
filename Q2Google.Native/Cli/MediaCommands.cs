using System.Text.Json;
using Q2Google.Api;

namespace Q2Google.Cli;

internal sealed class MediaCommands(GooglePhotosApi api, Terminal terminal)
{
    /// <summary><c>q2google media get</c> (summary, options and their help: <see cref="OptionTable"/>).</summary>
    public async Task<int> Get([ConsoleAppFramework.Argument] string id, bool json = false, CancellationToken cancellationToken = default)
    {
        var item = await api.GetMediaItemAsync(id, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            terminal.Out.WriteLine(JsonSerializer.Serialize(item, ApiJsonContext.Default.MediaItem));
        }
        else
        {
            terminal.Out.WriteLine($"id:          {item.Id}");
            terminal.Out.WriteLine($"file name:   {item.Filename}");
            terminal.Out.WriteLine($"type:        {item.MimeType}");
            terminal.Out.WriteLine($"created:     {item.MediaMetadata?.CreationTime}");
            if (item.Description is { Length: > 0 }) terminal.Out.WriteLine($"description: {item.Description}");
            terminal.Out.WriteLine($"url:         {item.ProductUrl}");
        }

        return ExitCodes.Success;
    }

    /// <summary><c>q2google media list</c> (summary, options and their help: <see cref="OptionTable"/>).</summary>
    public async Task<int> List(string? albumId = null, bool json = false, CancellationToken cancellationToken = default)
    {
        string? page = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var response = albumId is null
                ? await api.ListMediaItemsAsync(100, page, cancellationToken).ConfigureAwait(false)
                : await api.SearchMediaItemsAsync(new SearchMediaItemsRequest { AlbumId = albumId, PageSize = 100, PageToken = page }, cancellationToken).ConfigureAwait(false);
            foreach (var item in response.MediaItems ?? [])
            {
                if (!seen.Add(item.Id)) continue;
                terminal.Out.WriteLine(json
                    ? JsonSerializer.Serialize(item, ApiJsonContext.Default.MediaItem)
                    : $"{item.Id}  {item.Filename}  {item.MimeType}  {item.ProductUrl}");
            }

            page = response.NextPageToken;
        }
        while (page is not null);

        return ExitCodes.Success;
    }
}
