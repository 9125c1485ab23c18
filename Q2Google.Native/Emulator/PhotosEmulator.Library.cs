using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Q2Google.Http;

namespace Q2Google.Emulator;

// What the library endpoints share: app-created visibility, the wire form of items and albums, strict JSON, paging.
internal sealed partial class PhotosEmulator
{
    private const int MaxJsonBody = 4 * 1024 * 1024;

    /// <summary>An album this app created for this user; other apps' albums are invisible since March 2025.</summary>
    private EmulatedAlbum? AppAlbum(string id, EmulatedGrant grant) =>
        _albumsById.TryGetValue(id, out var album) && album.User == grant.User && album.ClientId == grant.ClientId ? album : null;

    private EmulatedMediaItem? AppMediaItem(string id, EmulatedGrant grant) =>
        _mediaById.TryGetValue(id, out var media) && media.User == grant.User && media.ClientId == grant.ClientId ? media : null;

    private MediaItem ToWire(EmulatedMediaItem media) => new()
    {
        Id = media.Id,
        Description = string.IsNullOrEmpty(media.Description) ? null : media.Description,
        ProductUrl = new Uri(BaseUrl, "photo/" + media.Id).AbsoluteUri,
        BaseUrl = new Uri(BaseUrl, "media/" + media.Id).AbsoluteUri,
        MimeType = media.MimeType,
        Filename = media.FileName,
        // Nine fractional digits on purpose: Google sends them, .NET keeps seven.
        MediaMetadata = new MediaMetadata { CreationTime = media.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z'", CultureInfo.InvariantCulture) },
    };

    private Album ToWire(EmulatedAlbum album) => new()
    {
        Id = album.Id,
        Title = album.Title,
        ProductUrl = new Uri(BaseUrl, "album/" + album.Id).AbsoluteUri,
        IsWriteable = true,
        MediaItemsCount = album.MediaItemIds.Count == 0 ? null : album.MediaItemIds.Count,
    };

    /// <summary>
    /// An id as long as Google's: clients written against the real service expect that (rclone only recognises an
    /// id of 55 or more characters in a file name). The exact length is UNCONFIRMED; clients must keep ids opaque.
    /// </summary>
    private static string LongId(string prefix) => prefix + RandomId(98 - prefix.Length);

    private static HttpResponse Invalid(string message) => GoogleErrors.Json(400, message, "INVALID_ARGUMENT");

    private static async Task<(T? Value, HttpResponse? Error)> ReadJsonAsync<T>(HttpExchange exchange, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        var contentType = exchange.Request.Header("Content-Type") ?? "";
        if (!contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Invalid($"Invalid JSON payload received: Content-Type must be application/json, not '{contentType}'."));
        }

        var bytes = await exchange.Body.ReadToEndAsync(MaxJsonBody, cancellationToken).ConfigureAwait(false);
        if (bytes is null) return (null, GoogleErrors.Json(413, "Request payload too large.", "INVALID_ARGUMENT"));
        try
        {
            var value = JsonSerializer.Deserialize(bytes, type);
            return value is null ? (null, Invalid("Invalid JSON payload received: null.")) : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Invalid($"Invalid JSON payload received. {e.Message}"));
        }
    }

    private static bool TryPageSize(string? text, int defaultSize, int max, out int size)
    {
        size = defaultSize;
        if (string.IsNullOrEmpty(text) || text == "0") return true;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 0) return false;
        // Above the maximum Google's behaviour is UNCONFIRMED; clamping is the lenient reading.
        size = Math.Min(parsed, max);
        return true;
    }

    /// <summary>
    /// One page of a listing. The page token is opaque to clients but carries a hash of the query, so a token
    /// replayed with different parameters is refused, as Google does.
    /// </summary>
    private static HttpResponse Page<T>(List<T> all, int pageSize, string? pageToken, string query, Func<List<T>, string?, byte[]> render)
    {
        var fingerprint = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(query)))[..16];
        var start = 0;
        if (!string.IsNullOrEmpty(pageToken))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(pageToken));
            }
            catch (FormatException)
            {
                return Invalid("Invalid page token.");
            }

            var parts = decoded.Split('|');
            if (parts.Length != 2 || parts[1] != fingerprint || !int.TryParse(parts[0], out start) || start < 0 || start > all.Count)
            {
                return Invalid("The page token does not match the request parameters.");
            }
        }

        var page = all.Skip(start).Take(pageSize).ToList();
        var nextStart = start + page.Count;
        var next = nextStart < all.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes($"{nextStart}|{fingerprint}")) : null;
        return HttpResponse.Json(200, render(page, next));
    }
}
