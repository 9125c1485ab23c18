using System.Text.Json;
using Q2Google.Api;
using Q2Google.State;

namespace Q2Google.Cli;

internal sealed class AlbumCommands(GooglePhotosApi api, Terminal terminal, LibraryJournals journals)
{
    /// <summary><c>q2google albums list</c> (summary, options and their help: <see cref="OptionTable"/>).</summary>
    public async Task<int> List(bool json = false, CancellationToken cancellationToken = default)
    {
        string? page = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var response = await api.ListAlbumsAsync(50, page, cancellationToken).ConfigureAwait(false);
            foreach (var album in response.Albums ?? [])
            {
                // Google has been seen repeating an item across a page boundary.
                if (album.Id is null || !seen.Add(album.Id)) continue;
                terminal.Out.WriteLine(json
                    ? JsonSerializer.Serialize(album, ApiJsonContext.Default.Album)
                    : $"{album.Id}  {album.Title}  ({album.MediaItemsCount ?? 0} items)");
            }

            page = response.NextPageToken;
        }
        while (page is not null);

        return ExitCodes.Success;
    }

    /// <summary><c>q2google albums create</c> (summary, options and their help: <see cref="OptionTable"/>).</summary>
    public async Task<int> Create([ConsoleAppFramework.Argument] string title, bool json = false, CancellationToken cancellationToken = default)
    {
        if (title.Trim().Length == 0 || title.Length > 500) throw new UsageException("an album title has 1 to 500 characters");
        var album = await api.CreateAlbumAsync(title, cancellationToken).ConfigureAwait(false);
        try
        {
            // So that `upload --album TITLE` finds it even without the read scope.
            using var journal = await journals.OpenAsync(cancellationToken).ConfigureAwait(false);
            journal.RecordAlbum(title, album.Id!);
        }
        catch (StateLockedException)
        {
            terminal.Warn("an upload is running, so this album was not noted in the journal; `upload --album` will still find it by title with the read scope");
        }

        terminal.Out.WriteLine(json ? JsonSerializer.Serialize(album, ApiJsonContext.Default.Album) : $"{album.Id}  {album.Title}  {album.ProductUrl}");
        return ExitCodes.Success;
    }
}
