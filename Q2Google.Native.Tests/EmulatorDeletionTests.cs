using System.Net;
using Q2Google.Api;
using Q2Google.Tests.Infrastructure;

namespace Q2Google.Tests;

/// <summary>The emulator plays the user who deletes in the Google Photos app: the item is gone from every answer.</summary>
public class EmulatorDeletionTests
{
    [Test]
    public async Task DeleteMediaItem_GoneFromGetBatchGetListSearchAndItsAlbum()
    {
        await using var cli = await CliFixture.StartAsync();
        var files = LibraryTree.Create(cli.Dir, "home/trip", small: 2);
        await cli.RunAsync("upload", "trip", "--album", "Trip");
        var deleted = cli.Harness.ItemsWithContentOf(files[0]).Single().Id;
        var kept = cli.Harness.ItemsWithContentOf(files[1]).Single().Id;
        var albumId = cli.Emulator.Albums.Single().Id;
        var api = cli.Harness.CreateApi();

        var removed = cli.Emulator.DeleteMediaItem(deleted);
        var twice = cli.Emulator.DeleteMediaItem(deleted);

        await Assert.That(removed).IsTrue();
        await Assert.That(twice).IsFalse();
        var get = await Assert.ThrowsAsync<GooglePhotosApiException>(() => api.GetMediaItemAsync(deleted));
        await Assert.That(get!.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
        // batchGet answers the deleted id with a per-item status inside a 200, in request order (docs/protocol.md).
        var batch = await api.BatchGetMediaItemsAsync([deleted, kept]);
        await Assert.That(batch.MediaItemResults![0].MediaItem).IsNull();
        await Assert.That(batch.MediaItemResults[0].Status!.Code).IsEqualTo(3);
        await Assert.That(batch.MediaItemResults[1].MediaItem!.Id).IsEqualTo(kept);
        var listed = await api.ListMediaItemsAsync();
        await Assert.That(listed.MediaItems!.Select(m => m.Id)).IsEquivalentTo(new[] { kept });
        var inAlbum = await api.SearchMediaItemsAsync(new SearchMediaItemsRequest { AlbumId = albumId });
        await Assert.That(inAlbum.MediaItems!.Select(m => m.Id)).IsEquivalentTo(new[] { kept });
        await Assert.That((await api.GetAlbumAsync(albumId)).MediaItemsCount).IsEqualTo(1);
    }

    [Test]
    public async Task DeleteEndpoint_DeletesOnce_ThenTheSameBytesMakeANewItem()
    {
        await using var cli = await CliFixture.StartAsync();
        var files = LibraryTree.Create(cli.Dir, "home/pics", small: 1);
        await cli.RunAsync("upload", "pics");
        var first = cli.Harness.ItemsWithContentOf(files[0]).Single().Id;
        using var http = new HttpClient();
        var url = new Uri(cli.Emulator.BaseUrl, $"emulator/mediaItems/{Uri.EscapeDataString(first)}:delete");

        using var deleted = await http.PostAsync(url, new ByteArrayContent([]));
        using var again = await http.PostAsync(url, new ByteArrayContent([]));
        var forced = await cli.RunAsync("upload", "pics", "--force");

        await Assert.That(deleted.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(again.StatusCode).IsEqualTo(HttpStatusCode.NotFound);
        await Assert.That(forced.ExitCode).IsEqualTo(0).Because(forced.ToString());
        var now = cli.Harness.ItemsWithContentOf(files[0]).Single().Id;
        await Assert.That(now).IsNotEqualTo(first);
    }
}
