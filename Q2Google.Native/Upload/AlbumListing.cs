using System.Runtime.CompilerServices;
using Q2Google.Api;
using Q2Google.Failures;

namespace Q2Google.Upload;

/// <summary>Every album this app created, page by page, each once (Google has been seen repeating one across a page boundary).</summary>
internal static class AlbumListing
{
    public static async IAsyncEnumerable<Album> AllAsync(GooglePhotosApi api, RetryOptions retry, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? page = null;
        do
        {
            var pageToken = page;
            var response = await Backoff.RetryAsync(retry, () => api.ListAlbumsAsync(50, pageToken, cancellationToken), cancellationToken).ConfigureAwait(false);
            foreach (var album in response.Albums ?? [])
            {
                if (album.Id is not null && seen.Add(album.Id)) yield return album;
            }

            page = response.NextPageToken;
        }
        while (page is not null);
    }
}
