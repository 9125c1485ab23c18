using Q2Google.State;
using Q2Google.Tests.Infrastructure;

namespace Q2Google.Tests;

public class JournalTests
{
    [Test]
    public async Task Records_SurviveReopen()
    {
        using var dir = new TempDir();
        using (var journal = Journal.Open(dir.Path))
        {
            journal.RecordPath("/photos/a.jpg", 10, 111, "aaa");
            journal.RecordSession("aaa", "https://x/session", 262144);
            journal.RecordOffset("aaa", 262144);
            journal.RecordPath("/photos/b.jpg", 20, 222, "bbb");
            journal.RecordToken("bbb", "CAIS-token");
            journal.RecordAlbum("Trip", "ALB1");
            journal.RecordCreated("bbb", "MEDIA-B", "https://photos/b", "ALB1", "b.jpg");
            journal.RecordFailed("ccc", "/photos/c.jpg", "BAD_IMAGE");
        }

        using var reopened = Journal.Open(dir.Path);

        await Assert.That(reopened.HashOf("/photos/a.jpg", 10, 111)).IsEqualTo("aaa");
        await Assert.That(reopened.HashOf("/photos/a.jpg", 10, 112)).IsNull();
        await Assert.That(reopened.Content("aaa")!.SessionUrl).IsEqualTo("https://x/session");
        await Assert.That(reopened.Content("aaa")!.Offset).IsEqualTo(262144);
        await Assert.That(reopened.Content("bbb")!.MediaItemId).IsEqualTo("MEDIA-B");
        await Assert.That(reopened.Content("bbb")!.Token).IsNull();
        await Assert.That(reopened.Content("bbb")!.Albums.ToArray()).IsEquivalentTo(new[] { "ALB1" });
        await Assert.That(reopened.AlbumsTitled("Trip").Single().Count).IsEqualTo(1);
        await Assert.That(reopened.Content("ccc")!.LastFailure).IsEqualTo("BAD_IMAGE");
        await Assert.That(File.GetUnixFileMode(Path.Combine(dir.Path, Journal.FileName))).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Test]
    public async Task Missing_ForgetsTheItemAndItsAlbums_ThroughCompaction_ButNotAnItemCreatedSince()
    {
        // Hashes as the index stores them (16 bytes, hex).
        const string A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        const string B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
        using var dir = new TempDir();
        using (var journal = Journal.Open(dir.Path))
        {
            journal.RecordPath("/photos/a.jpg", 10, 111, A);
            journal.RecordAlbum("Trip", "ALB1");
            journal.RecordCreated(A, "MEDIA-A", "https://photos/a", "ALB1", "a.jpg");
            journal.RecordPath("/photos/b.jpg", 20, 222, B);
            journal.RecordCreated(B, "MEDIA-B2", "https://photos/b2", null, "b.jpg");
            journal.RecordMissing(A, "MEDIA-A");
            // verify found an item that a later upload has replaced since: the new one stays.
            journal.RecordMissing(B, "MEDIA-B1");
            await Assert.That(journal.TryCompact()).IsTrue();
        }

        using var reopened = Journal.Open(dir.Path);

        var a = reopened.Content(A)!;
        await Assert.That(a.IsCreated).IsFalse();
        await Assert.That(a.ProductUrl).IsNull();
        await Assert.That(a.Albums.Count).IsEqualTo(0);
        await Assert.That(reopened.HashOf("/photos/a.jpg", 10, 111)).IsEqualTo(A);
        await Assert.That(reopened.AlbumById("ALB1")!.Count).IsEqualTo(0);
        await Assert.That(reopened.Content(B)!.MediaItemId).IsEqualTo("MEDIA-B2");
    }

    [Test]
    public async Task TornLastLine_IsDropped_AndTheNextRecordStartsOnItsOwnLine()
    {
        using var dir = new TempDir();
        using (var journal = Journal.Open(dir.Path)) journal.RecordPath("/p/a.jpg", 1, 1, "aaa");
        var file = Path.Combine(dir.Path, Journal.FileName);
        await File.AppendAllTextAsync(file, """{"k":"created","h":"aaa","id":"HALF""");

        using (var journal = Journal.Open(dir.Path))
        {
            await Assert.That(journal.DroppedTornLastLine).IsTrue();
            await Assert.That(journal.UnreadableLines).IsEqualTo(0);
            await Assert.That(journal.Content("aaa")!.IsCreated).IsFalse();
            journal.RecordCreated("aaa", "MEDIA", null, null, "a.jpg");
        }

        using var again = Journal.Open(dir.Path);
        await Assert.That(again.DroppedTornLastLine).IsFalse();
        await Assert.That(again.Content("aaa")!.MediaItemId).IsEqualTo("MEDIA");
        await Assert.That(File.ReadAllText(file)).DoesNotContain("HALF");
    }

    [Test]
    public async Task SecondOpenOfTheSameStateDir_IsRefused_UntilTheFirstCloses()
    {
        using var dir = new TempDir();
        var first = Journal.Open(dir.Path);

        var error = await Assert.That(() => Journal.Open(dir.Path)).Throws<StateLockedException>();
        first.Dispose();
        using var second = Journal.Open(dir.Path);

        await Assert.That(error!.Message).Contains(dir.Path);
        await Assert.That(error.Message).Contains($"pid {Environment.ProcessId}");
    }

    [Test]
    public async Task Compact_KeepsEveryFact_InFewerLines()
    {
        using var dir = new TempDir();
        using (var journal = Journal.Open(dir.Path))
        {
            journal.RecordAlbum("A", "ALB");
            for (var i = 0; i < 200; i++)
            {
                var hash = H(i);
                journal.RecordPath($"/p/{i}.jpg", i, i, hash);
                journal.RecordSession(hash, "u", 1);
                for (var o = 1; o <= 5; o++) journal.RecordOffset(hash, o);
                journal.RecordToken(hash, "t");
                if (i % 2 == 0) journal.RecordCreated(hash, $"M{i}", $"https://p/{i}", "ALB", $"{i}.jpg");
            }

            await Assert.That(journal.TryCompact()).IsTrue();
        }

        var lines = File.ReadAllLines(Path.Combine(dir.Path, Journal.FileName)).Length;
        using var compacted = Journal.Open(dir.Path);
        await Assert.That(lines).IsLessThan(450);
        await Assert.That(compacted.Content(H(10))!.MediaItemId).IsEqualTo("M10");
        await Assert.That(compacted.Content(H(11))!.Token).IsEqualTo("t");
        await Assert.That(compacted.HashOf("/p/11.jpg", 11, 11)).IsEqualTo(H(11));
        await Assert.That(compacted.AlbumsTitled("A").Single().Count).IsEqualTo(100);
        await Assert.That(compacted.Content(H(10))!.Albums.ToArray()).IsEquivalentTo(new[] { "ALB" });
    }

    /// <summary>A content hash as q2google writes them: 32 hex digits.</summary>
    private static string H(int i) => i.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);

    [Test]
    public async Task ReadOnly_TakesNoLock()
    {
        using var dir = new TempDir();
        using var writer = Journal.Open(dir.Path);
        writer.RecordPath("/p/a.jpg", 1, 1, "aaa");

        using var reader = Journal.ReadOnly(dir.Path);

        await Assert.That(reader.HashOf("/p/a.jpg", 1, 1)).IsEqualTo("aaa");
    }
}
