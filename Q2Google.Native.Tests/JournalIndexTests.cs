using Q2Google.State;
using Q2Google.Tests.Infrastructure;
using Q2Google.Upload;

namespace Q2Google.Tests;

/// <summary>
/// The journal as an index plus a journal file: an old journal migrated with every fact, compaction that a crash
/// at any step cannot hurt, damage that costs only what it touched, and a run that crosses many compactions.
/// </summary>
public class JournalIndexTests
{
    private static string H(int i) => i.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);

    [Test]
    public async Task AJournalWrittenByTheVersionBefore_IsMigrated_InSteps_WithEveryFact()
    {
        using var dir = new TempDir();
        var (file, expected) = OldJournal(dir);
        Journal.Threshold.Value = 40;

        using (var migrated = Journal.Open(dir.Path))
        {
            await AssertSameFactsAsync(migrated, expected);
        }

        var index = StateIndex.Open(dir.Path)!;
        using (index)
        {
            // Migrated in steps (each a merge into the index), then a new journal file begun.
            await Assert.That(index.Footer.LogGeneration).IsEqualTo(0);
            await Assert.That(JournalReader.Header(file)!.Generation).IsEqualTo(1);
        }

        using var reopened = Journal.Open(dir.Path);
        await AssertSameFactsAsync(reopened, expected);
    }

    [Test]
    public async Task ReadingAnOldJournalTooLongToHold_MigratesItFirst_UnlessARunHoldsIt()
    {
        using var dir = new TempDir();
        var (file, expected) = OldJournal(dir);
        Journal.Threshold.Value = 40;

        using (StateLock.Acquire(dir.Path))
        {
            // A run holds it: read whole, as it is, and nothing written.
            using var beside = Journal.ReadOnly(dir.Path);
            await AssertSameFactsAsync(beside, expected);
            await Assert.That(File.Exists(Path.Combine(dir.Path, StateIndex.FileName))).IsFalse();
        }

        using var alone = Journal.ReadOnly(dir.Path);
        await AssertSameFactsAsync(alone, expected);
        await Assert.That(File.Exists(Path.Combine(dir.Path, StateIndex.FileName))).IsTrue();
        await Assert.That(JournalReader.Header(file)!.Generation).IsEqualTo(1);
    }

    /// <summary>
    /// A journal the version before the index wrote (an upload of 150 files, then changes and another two runs), in
    /// <paramref name="dir"/>, and what it says replayed the way that version did: all of it in memory.
    /// </summary>
    private static (string File, JournalReplay Expected) OldJournal(TempDir dir)
    {
        var file = Path.Combine(dir.Path, Journal.FileName);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "journal-v1.jsonl"), file);
        var expected = new JournalReplay();
        new JournalReader().Read(file, (record, _) => expected.Apply(record));
        return (file, expected);
    }

    private static async Task AssertSameFactsAsync(Journal journal, JournalReplay expected)
    {
        await Assert.That(journal.IndexProblem).IsNull();
        foreach (var (path, seen) in expected.Paths)
        {
            await Assert.That(journal.HashOf(path, seen.Size, seen.Modified)).IsEqualTo(seen.Hash).Because(path);
        }

        var contents = journal.AllContents().ToDictionary(c => c.Hash);
        await Assert.That(contents.Count).IsEqualTo(expected.Contents.Count());
        foreach (var content in expected.Contents)
        {
            await Assert.That(JournalContents.Describe(contents[content.Hash])).IsEqualTo(JournalContents.Describe(content));
            await Assert.That(JournalContents.Describe(journal.Content(content.Hash)!)).IsEqualTo(JournalContents.Describe(content));
            if (content.Quick is { } quick) await Assert.That(journal.HashByQuick(quick)).IsEqualTo(content.Hash);
        }

        await Assert.That(string.Join("|", journal.Albums.Select(a => $"{a.Title} {a.Id} {a.Count} {a.Full}").Order()))
            .IsEqualTo(string.Join("|", expected.Albums.Select(a => $"{a.Title} {a.Id} {a.Count} {a.Full}").Order()));
    }

    [Test]
    [Arguments("records written")]
    [Arguments("index written")]
    [Arguments("index in place")]
    public async Task ACrashAtAnyStepOfCompaction_LosesNothing(string step)
    {
        using var dir = new TempDir();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_764_300_000_000));
        var expected = new JournalReplay();
        void Record(Journal journal, JournalRecord record, Action write)
        {
            write();
            expected.Apply(record);
        }

        using (var first = Journal.Open(dir.Path, time))
        {
            for (var i = 0; i < 300; i++) Record(first, JournalRecordWriter.Path($"/p/{i}.jpg", i, i, H(i)), () => first.RecordPath($"/p/{i}.jpg", i, i, H(i)));
            await Assert.That(first.TryCompact()).IsTrue();
        }

        var journal = Journal.Open(dir.Path, time);
        for (var i = 0; i < 300; i += 3) Record(journal, JournalRecordWriter.Token(H(i), "t", 1_764_300_000_000), () => journal.RecordToken(H(i), "t"));
        // The same bytes found under a new name, and a path that now holds other bytes.
        Record(journal, JournalRecordWriter.Path("/p/moved.jpg", 1, 1, H(1)), () => journal.RecordPath("/p/moved.jpg", 1, 1, H(1)));
        Record(journal, JournalRecordWriter.Path("/p/2.jpg", 9, 9, H(1000)), () => journal.RecordPath("/p/2.jpg", 9, 9, H(1000)));
        Journal.CompactionStep.Value = reached =>
        {
            if (reached == step) throw new SimulatedCrash();
        };

        await Assert.That(() => journal.TryCompact()).Throws<SimulatedCrash>();
        Journal.CompactionStep.Value = null;
        // The process is gone: only its lock goes with it.
        journal.Dispose();

        using (var after = Journal.Open(dir.Path))
        {
            await AssertSameFactsAsync(after, expected);
            await Assert.That(after.TryCompact()).IsTrue();
        }

        using var compacted = Journal.Open(dir.Path);
        await AssertSameFactsAsync(compacted, expected);
        await Assert.That(compacted.Content(H(2))!.LastPath).IsEqualTo("/p/2.jpg");
        await Assert.That(compacted.HashOf("/p/2.jpg", 2, 2)).IsNull();
    }

    private sealed class SimulatedCrash : Exception;

    [Test]
    public async Task ADamagedIndexBlock_CostsOnlyItsFiles_AndIsSaid()
    {
        using var dir = new TempDir();
        using (var journal = Journal.Open(dir.Path))
        {
            for (var i = 0; i < 3000; i++) journal.RecordPath($"/p/{i:0000}.jpg", i, i, H(i));
            await Assert.That(journal.TryCompact()).IsTrue();
        }

        var indexPath = Path.Combine(dir.Path, StateIndex.FileName);
        using (var stream = File.OpenWrite(indexPath))
        {
            // A flipped byte in the first block of records.
            stream.Position = 200;
            stream.WriteByte(0x5A);
        }

        using (var damaged = Journal.Open(dir.Path))
        {
            await Assert.That(damaged.HashOf("/p/0000.jpg", 0, 0)).IsNull();
            await Assert.That(damaged.IndexProblem).Contains("damaged");
            await Assert.That(damaged.HashOf("/p/2999.jpg", 2999, 2999)).IsEqualTo(H(2999));
            await Assert.That(damaged.TryCompact()).IsTrue();
        }

        using var rebuilt = Journal.Open(dir.Path);
        await Assert.That(rebuilt.IndexProblem).IsNull();
        await Assert.That(rebuilt.HashOf("/p/2999.jpg", 2999, 2999)).IsEqualTo(H(2999));
        await Assert.That(rebuilt.AllContents().Count).IsGreaterThan(2500).And.IsLessThan(3000);
    }

    [Test]
    public async Task ADamagedFooter_SetsTheIndexAside_AndTheRunGoesOn()
    {
        using var dir = new TempDir();
        using (var journal = Journal.Open(dir.Path))
        {
            journal.RecordPath("/p/a.jpg", 1, 1, H(1));
            await Assert.That(journal.TryCompact()).IsTrue();
            journal.RecordPath("/p/b.jpg", 2, 2, H(2));
        }

        var indexPath = Path.Combine(dir.Path, StateIndex.FileName);
        await File.WriteAllBytesAsync(indexPath, (await File.ReadAllBytesAsync(indexPath))[..^10]);

        using var reopened = Journal.Open(dir.Path);
        await Assert.That(reopened.IndexProblem).Contains("damaged");
        await Assert.That(Directory.GetFiles(dir.Path, StateIndex.FileName + ".damaged-*").Length).IsEqualTo(1);
        var said = new StringWriter();
        Q2Google.Cli.JournalWarnings.Report(reopened, new Q2Google.Cli.Terminal(TextWriter.Null, said, errorIsTerminal: false, quiet: false));
        await Assert.That(said.ToString().Trim()).StartsWith($"q2google: warning: in {dir.Path}: {StateIndex.FileName} is damaged");
        // What the journal file holds is still known; what only the index held is read again from the files.
        await Assert.That(reopened.HashOf("/p/b.jpg", 2, 2)).IsEqualTo(H(2));
        await Assert.That(reopened.HashOf("/p/a.jpg", 1, 1)).IsNull();
    }

    [Test]
    public async Task AJournalFileThatDoesNotContinueTheIndex_IsSetAside_NotReplayedOnTop()
    {
        using var dir = new TempDir();
        using (var journal = Journal.Open(dir.Path))
        {
            journal.RecordPath("/p/a.jpg", 1, 1, H(1));
            await Assert.That(journal.TryCompact()).IsTrue();
        }

        await File.WriteAllTextAsync(Path.Combine(dir.Path, Journal.FileName),
            """{"k":"header","v":2,"gen":7}""" + "\n" + """{"k":"path","h":"00000000000000000000000000000002","p":"/p/a.jpg","s":1,"m":1}""" + "\n");

        using var reopened = Journal.Open(dir.Path);
        await Assert.That(reopened.IndexProblem).Contains("does not continue the index");
        await Assert.That(reopened.HashOf("/p/a.jpg", 1, 1)).IsEqualTo(H(1));
        await Assert.That(Directory.GetFiles(dir.Path, Journal.FileName + ".damaged-*").Length).IsEqualTo(1);
    }

    [Test]
    public async Task ARunAcrossManyCompactions_UploadsEachFileOnce_AndARerunSendsAndReadsNothing()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var files = LibraryTree.Create(harness.Dir, "library", small: 240, large: 2, largeSize: 400_000);
        var stateDir = Directory.CreateDirectory(harness.Dir.Combine("state")).FullName;
        Journal.Threshold.Value = 50;
        var options = new UploadOptions { ChunkSize = 128 * 1024, Album = "Many", BatchIdle = TimeSpan.FromMilliseconds(100) };

        var first = await RunAsync(harness, stateDir, options);
        var requests = harness.Emulator.Requests.Count;
        var second = await RunAsync(harness, stateDir, options);

        await Assert.That(first.Count(o => o.Status == OutcomeStatus.Uploaded)).IsEqualTo(files.Count);
        await LibraryTree.AssertEachExactlyOnceAsync(harness, files, stateDir);
        await Assert.That(harness.Emulator.Albums.Single().MediaItemIds.Count).IsEqualTo(files.Count);
        using (var index = StateIndex.Open(stateDir)!)
        {
            await Assert.That(index.Footer.LogGeneration).IsGreaterThanOrEqualTo(4);
        }

        await Assert.That(second.All(o => o.Status == OutcomeStatus.AlreadyUploaded)).IsTrue();
        await Assert.That(second.Count).IsEqualTo(files.Count);
        await Assert.That(harness.Emulator.Requests.Count).IsEqualTo(requests);
    }

    private static async Task<List<FileOutcome>> RunAsync(EmulatorHarness harness, string stateDir, UploadOptions options)
    {
        var api = harness.CreateApi();
        var client = new GooglePhotosClient(api, retry: EmulatorHarness.FastRetry) { ChunkSize = options.ChunkSize, RawUploadLimit = options.RawUploadLimit };
        using var journal = Journal.Open(stateDir);
        var outcomes = new List<FileOutcome>();
        var run = new UploadRun(api, client, journal, options, o => { lock (outcomes) outcomes.Add(o); }, new NoProgress(), TimeProvider.System, _ => { });
        await run.RunAsync([harness.Dir.Combine("library")], CancellationToken.None);
        return outcomes;
    }
}
