using Q2Google.State;

namespace Q2Google.Tests.Infrastructure;

/// <summary>A photo library on disk for upload tests, and checks that the emulator holds each file exactly once.</summary>
internal static class LibraryTree
{
    /// <summary>Makes <paramref name="small"/> photos and <paramref name="large"/> multi-chunk videos under <paramref name="root"/>.</summary>
    public static List<string> Create(TempDir dir, string root, int small, int large = 0, long largeSize = 1_100_000, int seed = 0)
    {
        var files = new List<string>();
        for (var i = 0; i < small; i++) files.Add(dir.File($"{root}/{2000 + i % 3}/IMG_{i:0000}.jpg", 2_000 + i * 37, seed + i + 1));
        for (var i = 0; i < large; i++) files.Add(dir.File($"{root}/videos/MOV_{i:000}.mp4", largeSize + i * 4099, seed + 10_000 + i));
        return files;
    }

    /// <summary>Every file is in the library exactly once, with exactly its bytes, and the journal agrees.</summary>
    public static async Task AssertEachExactlyOnceAsync(EmulatorHarness harness, IEnumerable<string> files, string? stateDir = null)
    {
        var items = harness.Emulator.MediaItems;
        var distinct = files.Select(TempDir.Sha256).Distinct().ToList();
        foreach (var sha in distinct)
        {
            await Assert.That(items.Count(m => m.Sha256 == sha)).IsEqualTo(1).Because($"content {sha[..12]} should be in the library exactly once");
        }

        await Assert.That(items.Count).IsEqualTo(distinct.Count);
        if (stateDir is null) return;
        using var journal = Journal.ReadOnly(StateFolders.JournalFolder(stateDir));
        foreach (var file in files.DistinctBy(TempDir.Sha256))
        {
            var content = journal.Content(await Q2Google.Upload.ContentHash.OfFileAsync(file, CancellationToken.None));
            await Assert.That(content?.MediaItemId).IsNotNull().Because($"the journal should know {file} was created");
            // Never a file marked done that is not in the library.
            await Assert.That(items.Single(m => m.Id == content!.MediaItemId).Sha256).IsEqualTo(TempDir.Sha256(file));
        }
    }
}
