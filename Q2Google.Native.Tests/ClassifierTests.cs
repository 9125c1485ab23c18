using Q2Google.Tests.Infrastructure;
using Q2Google.Upload;

namespace Q2Google.Tests;

public class ClassifierTests
{
    private static byte[] Bytes(params byte[] head) => [.. head, .. new byte[64]];

    [Test]
    [Arguments("IMG_1.JPG", new byte[] { 0xFF, 0xD8, 0xFF, 0xE1 }, "image/jpeg")]
    [Arguments("a.png", new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A }, "image/png")]
    [Arguments("a.gif", new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61 }, "image/gif")]
    [Arguments("a.heic", new byte[] { 0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63 }, "image/heic")]
    [Arguments("a.mov", new byte[] { 0, 0, 0, 0x14, 0x66, 0x74, 0x79, 0x70, 0x71, 0x74, 0x20, 0x20 }, "video/quicktime")]
    [Arguments("a.mp4", new byte[] { 0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x6D, 0x70, 0x34, 0x32 }, "video/mp4")]
    [Arguments("a.cr2", new byte[] { 0x49, 0x49, 0x2A, 0x00, 0x10 }, "image/x-canon-cr2")]
    [Arguments("a.mkv", new byte[] { 0x1A, 0x45, 0xDF, 0xA3 }, "video/x-matroska")]
    [Arguments("noextension", new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, "image/jpeg")]
    [Arguments("wrong.jpeg", new byte[] { 0x89, 0x50, 0x4E, 0x47 }, "image/png")]
    public async Task AcceptedFormats_RecognisedByContent(string name, byte[] head, string mime)
    {
        var verdict = FileClassifier.Classify(name, 1000, Bytes(head));
        await Assert.That(verdict.MimeType).IsEqualTo(mime);
    }

    [Test]
    [Arguments("page.jpg", 1000L, SkipReasons.UnsupportedType)]
    [Arguments("notes.txt", 1000L, SkipReasons.UnsupportedType)]
    [Arguments("IMG_1.xmp", 1000L, SkipReasons.Sidecar)]
    [Arguments("IMG_1.AAE", 1000L, SkipReasons.Sidecar)]
    [Arguments("IMG_1.THM", 1000L, SkipReasons.Sidecar)]
    [Arguments("Thumbs.db", 1000L, SkipReasons.Sidecar)]
    [Arguments(".DS_Store", 1000L, SkipReasons.Sidecar)]
    [Arguments(".secret.jpg", 1000L, SkipReasons.Hidden)]
    [Arguments("empty.jpg", 0L, SkipReasons.Empty)]
    public async Task Rejected_WithReason(string name, long size, string reason)
    {
        var head = name == "page.jpg" ? "<!doctype html><html>"u8.ToArray() : Bytes(0xFF, 0xD8, 0xFF);
        if (name == "notes.txt") head = "hello world"u8.ToArray();
        var verdict = FileClassifier.Classify(name, size, head);
        await Assert.That(verdict.Accepted).IsFalse();
        await Assert.That(verdict.SkipReason).IsEqualTo(reason);
    }

    [Test]
    public async Task SizeLimits_200MBPhotos_20GBVideos()
    {
        var jpeg = Bytes(0xFF, 0xD8, 0xFF);
        var mp4 = Bytes(0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x6D, 0x70, 0x34, 0x32);

        await Assert.That(FileClassifier.Classify("a.jpg", 200_000_000, jpeg).Accepted).IsTrue();
        await Assert.That(FileClassifier.Classify("a.jpg", 200_000_001, jpeg).SkipReason).IsEqualTo(SkipReasons.TooLarge);
        await Assert.That(FileClassifier.Classify("a.mp4", 20_000_000_000, mp4).Accepted).IsTrue();
        await Assert.That(FileClassifier.Classify("a.mp4", 20_000_000_001, mp4).SkipReason).IsEqualTo(SkipReasons.TooLarge);
    }
}

public class TreeWalkerTests
{
    private static List<WalkItem> Walk(TempDir dir, string[]? include = null, string[]? exclude = null) =>
        [.. new TreeWalker(include ?? [], exclude ?? []).Walk(dir.Path)];

    [Test]
    public async Task Walk_SkipsHiddenAndNasFolders_ReportsThemOnce_OrdersByName()
    {
        using var dir = new TempDir();
        dir.File("b/2.jpg", 1);
        dir.File("a/1.jpg", 1);
        dir.File("top.jpg", 1);
        dir.File(".git/objects/x", 1);
        dir.File("@eaDir/top.jpg/SYNOFILE_THUMB_M.jpg", 1);

        var items = Walk(dir);

        var files = items.OfType<UploadCandidate>().Select(c => Path.GetRelativePath(dir.Path, c.FullPath)).ToArray();
        await Assert.That(files).IsEquivalentTo(new[] { "top.jpg", "a/1.jpg", "b/2.jpg" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        var skips = items.OfType<WalkSkip>().ToDictionary(s => Path.GetFileName(s.Display.TrimEnd('/')), s => s.Reason);
        await Assert.That(skips[".git"]).IsEqualTo(SkipReasons.Hidden);
        await Assert.That(skips["@eaDir"]).IsEqualTo(SkipReasons.NasMetadata);
        await Assert.That(items.OfType<UploadCandidate>().Single(c => c.FullPath.EndsWith("2.jpg")).Folder).IsEqualTo("b");
    }

    [Test]
    public async Task Walk_IncludeAndExcludeGlobs_RelativeToThePath()
    {
        using var dir = new TempDir();
        dir.File("2019/a.jpg", 1);
        dir.File("2019/raw/a.cr2", 1);
        dir.File("2020/b.jpg", 1);
        dir.File("2020/b.mp4", 1);

        var items = Walk(dir, include: ["**/*.jpg", "**/*.mp4"], exclude: ["2020/*.mp4"]);

        var files = items.OfType<UploadCandidate>().Select(c => Path.GetRelativePath(dir.Path, c.FullPath)).Order().ToArray();
        await Assert.That(files).IsEquivalentTo(new[] { "2019/a.jpg", "2020/b.jpg" });
    }

    [Test]
    public async Task Walk_SymlinkLoop_IsDetectedAndReported_ButLinkedFoldersElsewhereAreFollowed()
    {
        using var dir = new TempDir();
        using var elsewhere = new TempDir();
        dir.File("photos/a.jpg", 1);
        elsewhere.File("shared/b.jpg", 1);
        Directory.CreateSymbolicLink(dir.Combine("photos", "loop"), dir.Path);
        Directory.CreateSymbolicLink(dir.Combine("linked"), elsewhere.Combine("shared"));

        var items = Walk(dir);

        var names = items.OfType<UploadCandidate>().Select(c => Path.GetFileName(c.FullPath)).Order().ToArray();
        await Assert.That(names).IsEquivalentTo(new[] { "a.jpg", "b.jpg" });
        await Assert.That(items.OfType<WalkSkip>().Single().Reason).IsEqualTo(SkipReasons.SymlinkLoop);
    }

    [Test]
    public async Task Walk_MissingPath_IsAFailure()
    {
        var items = new TreeWalker([], []).Walk("/nonexistent/photos").ToList();
        await Assert.That(((WalkSkip)items.Single()).IsFailure).IsTrue();
    }
}
