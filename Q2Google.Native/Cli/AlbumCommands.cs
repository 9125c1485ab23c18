using System.Text.Json;
using Q2Google.Api;
using Q2Google.Failures;
using Q2Google.State;
using Q2Google.Upload;

namespace Q2Google.Cli;

internal sealed class AlbumCommands(GooglePhotosApi api, Terminal terminal, LibraryJournals journals, RetryOptions retry)
{
    /// <summary><c>q2google albums list</c> (summary, options and their help: <see cref="OptionTable"/>).</summary>
    public async Task<int> List(bool json = false, CancellationToken cancellationToken = default)
    {
        await foreach (var album in AlbumListing.AllAsync(api, retry, cancellationToken).ConfigureAwait(false))
        {
            terminal.Out.WriteLine(json
                ? JsonSerializer.Serialize(album, ApiJsonContext.Default.Album)
                : $"{album.Id}  {TerminalText.Escape(album.Title)}  ({Plural.Of(album.MediaItemsCount ?? 0, "item")})");
        }

        return ExitCodes.Success;
    }

    /// <summary><c>q2google albums create</c> (summary, options and their help: <see cref="OptionTable"/>).</summary>
    public async Task<int> Create([ConsoleAppFramework.Argument] string title, bool allowDuplicate = false, bool json = false,
        CancellationToken cancellationToken = default)
    {
        if (title.Trim().Length == 0 || title.Length > 500) throw new UsageException("an album title has 1 to 500 characters");
        if (!allowDuplicate && await ExistingAsync(title, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            throw new ConfigurationException($"this app already has an album titled \"{TerminalText.Escape(title)}\" ({existing}), and 'upload --album' " +
                                     "finds it by that title; to make a second one anyway, add --allow-duplicate");
        }

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

    /// <summary>The id of an album of this app with the title: on Google (read scope), else as the journal knows it.</summary>
    private async Task<string?> ExistingAsync(string title, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var album in AlbumListing.AllAsync(api, retry, cancellationToken).ConfigureAwait(false))
            {
                if (album.Title == title) return album.Id;
            }

            return null;
        }
        catch (GooglePhotosApiException e) when (e.IsInsufficientScope)
        {
            using var journal = await journals.ReadAsync(cancellationToken).ConfigureAwait(false);
            return journal.AlbumsTitled(title).FirstOrDefault()?.Id;
        }
    }
}
