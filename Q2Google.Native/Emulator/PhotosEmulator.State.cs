using System.Text.Json;
using Q2Google.Http;

namespace Q2Google.Emulator;

// What --data-dir keeps between runs, and what /emulator/state shows.
internal sealed partial class PhotosEmulator
{
    private HttpResponse HandleState()
    {
        EmulatorSnapshot snapshot;
        lock (_gate) snapshot = new EmulatorSnapshot { MediaItems = [.. _mediaItems], Albums = [.. _albums] };
        return HttpResponse.Json(200, JsonSerializer.SerializeToUtf8Bytes(snapshot, EmulatorJsonContext.Default.EmulatorSnapshot));
    }

    private async Task LoadStateAsync(CancellationToken cancellationToken)
    {
        var snapshot = _persistence is null ? null : await _persistence.LoadAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (snapshot is not null)
            {
                foreach (var client in snapshot.Clients) _clients[client.ClientId] = client;
                foreach (var grant in snapshot.Grants) _grants[grant.RefreshToken] = grant;
                foreach (var item in snapshot.MediaItems)
                {
                    _mediaItems.Add(item);
                    _mediaById[item.Id] = item;
                    _mediaByContent.TryAdd((item.User, item.Sha256, item.Size), item);
                }

                foreach (var album in snapshot.Albums)
                {
                    _albums.Add(album);
                    _albumsById[album.Id] = album;
                }
            }

            Client = snapshot?.Clients.FirstOrDefault() ?? new EmulatedClient(
                $"{RandomId(12)}-emulator.apps.googleusercontent.com", "GOCSPX-" + RandomId(28));
            _clients[Client.ClientId] = Client;
        }
    }

    private void MarkDirty() => _persistence?.MarkDirty(TakeSnapshot);

    private EmulatorSnapshot TakeSnapshot()
    {
        lock (_gate)
        {
            return new EmulatorSnapshot
            {
                Clients = [Client, .. _clients.Values.Where(c => c != Client)],
                Grants = [.. _grants.Values],
                MediaItems = [.. _mediaItems.Select(m => m with { AlbumIds = [.. m.AlbumIds] })],
                Albums = [.. _albums.Select(a => a with { MediaItemIds = [.. a.MediaItemIds] })],
            };
        }
    }

    /// <summary>Writes <c>client_secret.json</c> (and state) into the data directory, if there is one.</summary>
    public async Task WriteClientFilesAsync(string directory, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        await IO.AtomicFile.WriteAsync(Path.Combine(directory, "client_secret.json"),
            System.Text.Encoding.UTF8.GetBytes(ClientSecretJson()), cancellationToken).ConfigureAwait(false);
    }
}
