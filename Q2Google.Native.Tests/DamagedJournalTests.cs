using Q2Google.Cli;
using Q2Google.State;
using Q2Google.Tests.Infrastructure;

namespace Q2Google.Tests;

/// <summary>A damaged journal never takes the tool down: bad lines are skipped and counted, the rest is used.</summary>
public class DamagedJournalTests
{
    private const string Good1 = """{"k":"path","p":"/p/a.jpg","s":10,"m":100,"h":"aaa"}""";
    private const string Good2 = """{"k":"created","h":"aaa","id":"MEDIA-A","at":1700000000000}""";

    [Test]
    [Arguments("""{"k":"path","p":"/p/b.jpg","s":1.5,"m":1,"h":"bbb"}""")]
    [Arguments("""{"k":"path","p":"/p/b.jpg","s":99999999999999999999999999,"m":1,"h":"bbb"}""")]
    [Arguments("""{"k":"created","h":"bbb","id":"M","at":999999999999999999}""")]
    [Arguments("""{"k":"path","p":"/p/b.jpg","s":-5,"m":1,"h":"bbb"}""")]
    [Arguments("""{"k":"path","p":"/p/b.jpg","s":5,"m":-1,"h":"bbb"}""")]
    [Arguments("""{"k":"session","h":"bbb","u":"https://x","g":0}""")]
    [Arguments("""{"k":"path","p":["not","a","string"],"h":"bbb"}""")]
    [Arguments("this line is not JSON at all")]
    [Arguments("\u0000\u0001\u0002garbage")]
    public async Task BadLineInTheMiddle_IsSkippedAndCounted_TheRestLoads(string bad)
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, Journal.FileName), $"{Good1}\n{bad}\n{Good2}\n");

        using var journal = Journal.ReadOnly(dir.Path);

        await Assert.That(journal.UnreadableLines).IsEqualTo(1);
        await Assert.That(journal.UnreadableLineNumbers.ToArray()).IsEquivalentTo(new long[] { 2 });
        await Assert.That(journal.DroppedTornLastLine).IsFalse();
        await Assert.That(journal.HashOf("/p/a.jpg", 10, 100)).IsEqualTo("aaa");
        await Assert.That(journal.Content("aaa")!.MediaItemId).IsEqualTo("MEDIA-A");
    }

    [Test]
    public async Task HugeLine_IsSkippedWithoutBeingHeldInMemory()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, Journal.FileName);
        await using (var file = File.Create(path))
        {
            await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes(Good1 + "\n{\"k\":\"path\",\"p\":\""));
            var block = new byte[1 << 20];
            Array.Fill(block, (byte)'x');
            for (var i = 0; i < 300; i++) await file.WriteAsync(block);
            await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes("\"}\n" + Good2 + "\n"));
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        using var journal = Journal.ReadOnly(dir.Path);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        await Assert.That(journal.UnreadableLines).IsEqualTo(1);
        await Assert.That(journal.Content("aaa")!.MediaItemId).IsEqualTo("MEDIA-A");
        // One read buffer, not the line: a 300 MB line used to cost 780 MB.
        await Assert.That(allocated).IsLessThan(16L << 20);
    }

    [Test]
    public async Task OnlyATornLastLine_IsCalledAnInterruptedWrite()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, Journal.FileName), $"{Good1}\nnot json\n{Good2}\n{{\"k\":\"created\",\"h\":\"aaa\",\"id\":\"HALF");

        using var journal = Journal.ReadOnly(dir.Path);

        await Assert.That(journal.DroppedTornLastLine).IsTrue();
        await Assert.That(journal.UnreadableLines).IsEqualTo(1);
    }

    [Test]
    public async Task UploadAndStatus_WithDamagedLines_WarnOnceWithLineNumbers_NoStackTrace()
    {
        await using var cli = await CliFixture.StartAsync();
        var files = LibraryTree.Create(cli.Dir, "home/pics", small: 3);
        await cli.RunAsync("upload", "pics");
        var journalPath = Path.Combine(StateFolders.JournalFolder(Path.Combine(cli.Home, ".local", "state", "q2google")), Journal.FileName);
        var lines = File.ReadAllLines(journalPath).ToList();
        lines.Insert(2, """{"k":"path","p":"/x","s":1.5,"h":"zzz"}""");
        lines.Insert(4, "garbage in the middle");
        await File.WriteAllLinesAsync(journalPath, lines);
        files.AddRange(LibraryTree.Create(cli.Dir, "home/pics/more", small: 2, seed: 40));

        var upload = await cli.RunAsync("upload", "pics", "--json");
        var status = await cli.RunAsync("status");
        var statusJson = await cli.RunAsync("status", "--json");

        await Assert.That(upload.ExitCode).IsEqualTo(0).Because(upload.ToString());
        await Assert.That(upload.Stderr).Contains("has 2 unreadable lines (line 3, 5)");
        await Assert.That(upload.Stderr).DoesNotContain("half-written");
        await Assert.That(upload.Stderr).DoesNotContain("   at ");
        await LibraryTree.AssertEachExactlyOnceAsync(cli.Harness, files, Path.Combine(cli.Home, ".local", "state", "q2google"));
        await Assert.That(status.ExitCode).IsEqualTo(0).Because(status.ToString());
        await Assert.That(status.Stdout).Contains("2 unreadable lines");
        await Assert.That(statusJson.Stdout).Contains("\"unreadableLines\":2");
    }

    [Test]
    public async Task UnexpectedException_IsOneLine_DetailsWrittenToAFile()
    {
        Exception bug;
        try
        {
            throw new InvalidOperationException("a bug\nspanning lines");
        }
        catch (InvalidOperationException e)
        {
            bug = e;
        }

        var outcome = ExitCodeMapper.Map(bug);

        await Assert.That(outcome.ExitCode).IsEqualTo(1);
        await Assert.That(outcome.Message).DoesNotContain("\n");
        await Assert.That(outcome.Message).Contains("unexpected error (InvalidOperationException: a bug spanning lines)");
        var detailsPath = outcome.Message[(outcome.Message.IndexOf("details are in ", StringComparison.Ordinal) + 15)..].Split(':')[0];
        var details = await File.ReadAllTextAsync(detailsPath);
        await Assert.That(details).Contains("UnexpectedException_IsOneLine_DetailsWrittenToAFile");
        await Assert.That(File.GetUnixFileMode(detailsPath)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Delete(detailsPath);
    }
}
