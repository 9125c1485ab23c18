using System.Collections;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Q2Google.State;
using Q2Google.Tests.Infrastructure;

namespace Q2Google.Tests;

/// <summary>
/// The journal's line format is defined once (<see cref="JournalKinds"/>, <see cref="JournalFields"/>), written by
/// one writer and read by one parser: what one writes the other reads back, every field of every kind, and the
/// journals already on users' disks read as they always did.
/// </summary>
public class JournalSchemaTests
{
    private const string H = "0123456789abcdef0123456789abcdef";
    private const string H2 = "fedcba9876543210fedcba9876543210";
    private const string Title = "Été \"2024\" <b>&'";
    private const string FilePath = "/p/Été \"a\" <1>.jpg";
    private const string Name = "Été \"a\" <1>.jpg";
    private const string Quick = "00001111222233334444555566667777";
    private const string SessionUrl = "https://upload/session?id=1&x=2";
    private const string ProductUrl = "https://photos.google.com/lr/photo/MEDIA-1";
    private const string Token = "CAIS-token+/=";
    private const string Reason = "BAD_IMAGE: \u0001 tab\t";
    private const long Mtime = 638_000_000_000_000_000;

    /// <summary>The run below begins here and moves on 1,111 ms before each record.</summary>
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_764_300_000_000);

    private static long At(int step) => Start.AddMilliseconds(1111 * step).ToUnixTimeMilliseconds();

    /// <summary>
    /// What q2google wrote before the format had one definition, byte for byte, for this run (the clock at
    /// <see cref="At"/>(n) for the n-th record): Journal.Open, then RecordAlbum(Title, "ALB-1"), RecordPath(FilePath,
    /// 3000000, Mtime, H, Quick), RecordCreated(H, "MEDIA-1", ProductUrl, "ALB-1", Name), RecordToken(H, Token),
    /// RecordSession(H, SessionUrl, 262144), RecordOffset(H, 262144), RecordFailed(H, FilePath, Reason),
    /// RecordAdded(H, "ALB-2"), RecordAlbumFull("ALB-1"), RecordPath("/p/b.jpg", 20, 222, H2), RecordDiscarded(H2,
    /// "expired"), RecordPath("/p/copy-of-a.jpg", 3000000, Mtime + 1, H), RecordPath(FilePath, 3000000, Mtime, H),
    /// RecordFailed(null, "/p/unreadable.jpg", "EACCES").
    /// </summary>
    private static readonly string[] TodaysAppendedLines =
    [
        """{"k":"header","at":1764300000000,"v":1}""",
        """{"k":"album","id":"ALB-1","title":"\u00C9t\u00E9 \u00222024\u0022 \u003Cb\u003E\u0026\u0027","at":1764300001111}""",
        """{"k":"path","h":"0123456789abcdef0123456789abcdef","p":"/p/\u00C9t\u00E9 \u0022a\u0022 \u003C1\u003E.jpg","s":3000000,"m":638000000000000000,"q":"00001111222233334444555566667777"}""",
        """{"k":"created","h":"0123456789abcdef0123456789abcdef","id":"MEDIA-1","url":"https://photos.google.com/lr/photo/MEDIA-1","a":"ALB-1","n":"\u00C9t\u00E9 \u0022a\u0022 \u003C1\u003E.jpg","at":1764300003333}""",
        """{"k":"token","h":"0123456789abcdef0123456789abcdef","t":"CAIS-token\u002B/=","at":1764300004444}""",
        """{"k":"session","h":"0123456789abcdef0123456789abcdef","u":"https://upload/session?id=1\u0026x=2","g":262144,"at":1764300005555}""",
        """{"k":"offset","h":"0123456789abcdef0123456789abcdef","o":262144}""",
        """{"k":"failed","h":"0123456789abcdef0123456789abcdef","p":"/p/\u00C9t\u00E9 \u0022a\u0022 \u003C1\u003E.jpg","r":"BAD_IMAGE: \u0001 tab\t","at":1764300007777}""",
        """{"k":"added","h":"0123456789abcdef0123456789abcdef","a":"ALB-2","at":1764300008888}""",
        """{"k":"album-full","id":"ALB-1","at":1764300009999}""",
        """{"k":"path","h":"fedcba9876543210fedcba9876543210","p":"/p/b.jpg","s":20,"m":222}""",
        """{"k":"discard","h":"fedcba9876543210fedcba9876543210","r":"expired","at":1764300012221}""",
        """{"k":"path","h":"0123456789abcdef0123456789abcdef","p":"/p/copy-of-a.jpg","s":3000000,"m":638000000000000001}""",
        """{"k":"path","h":"0123456789abcdef0123456789abcdef","p":"/p/\u00C9t\u00E9 \u0022a\u0022 \u003C1\u003E.jpg","s":3000000,"m":638000000000000000}""",
        """{"k":"failed","p":"/p/unreadable.jpg","r":"EACCES","at":1764300015554}""",
    ];

    /// <summary>What TryCompact made of that journal before the format had one definition (the clock at <see cref="At"/>(15)).</summary>
    private static readonly string[] TodaysCompactedLines =
    [
        """{"k":"header","at":1764300016665,"v":1}""",
        """{"k":"album","id":"ALB-1","title":"\u00C9t\u00E9 \u00222024\u0022 \u003Cb\u003E\u0026\u0027","c":1,"full":true}""",
        """{"k":"content","h":"0123456789abcdef0123456789abcdef","p":"/p/\u00C9t\u00E9 \u0022a\u0022 \u003C1\u003E.jpg","s":3000000,"m":638000000000000000,"q":"00001111222233334444555566667777","u":"https://upload/session?id=1\u0026x=2","g":262144,"o":262144,"t":"CAIS-token\u002B/=","id":"MEDIA-1","url":"https://photos.google.com/lr/photo/MEDIA-1","as":["ALB-1","ALB-2"],"r":"BAD_IMAGE: \u0001 tab\t","at":1764300003333,"uat":1764300005555,"tat":1764300004444}""",
        """{"k":"content","h":"fedcba9876543210fedcba9876543210","p":"/p/b.jpg","s":20,"m":222}""",
        """{"k":"path","h":"0123456789abcdef0123456789abcdef","p":"/p/copy-of-a.jpg","s":3000000,"m":638000000000000001}""",
    ];

    /// <summary>
    /// What TryCompact made of <see cref="TodaysCompactedLines"/> when it was loaded again: the same facts, but the path
    /// line after the content line had become the content's last path (so the two paths change places).
    /// </summary>
    private static readonly string[] TodaysRecompactedLines =
    [
        """{"k":"header","at":1764300016665,"v":1}""",
        """{"k":"album","id":"ALB-1","title":"\u00C9t\u00E9 \u00222024\u0022 \u003Cb\u003E\u0026\u0027","c":1,"full":true}""",
        """{"k":"content","h":"0123456789abcdef0123456789abcdef","p":"/p/copy-of-a.jpg","s":3000000,"m":638000000000000001,"q":"00001111222233334444555566667777","u":"https://upload/session?id=1\u0026x=2","g":262144,"o":262144,"t":"CAIS-token\u002B/=","id":"MEDIA-1","url":"https://photos.google.com/lr/photo/MEDIA-1","as":["ALB-1","ALB-2"],"r":"BAD_IMAGE: \u0001 tab\t","at":1764300003333,"uat":1764300005555,"tat":1764300004444}""",
        """{"k":"content","h":"fedcba9876543210fedcba9876543210","p":"/p/b.jpg","s":20,"m":222}""",
        """{"k":"path","h":"0123456789abcdef0123456789abcdef","p":"/p/\u00C9t\u00E9 \u0022a\u0022 \u003C1\u003E.jpg","s":3000000,"m":638000000000000000}""",
    ];

    /// <summary>One record of every kind, every field that kind can carry set to something other than its default.</summary>
    private static IReadOnlyList<JournalRecord> FullyPopulatedRecords()
    {
        return
        [
            JournalRecordWriter.Header(7, 3, At(1)),
            JournalRecordWriter.Path(FilePath, 3_000_000, Mtime, H, Quick),
            JournalRecordWriter.Session(H, SessionUrl, 262_144, At(2)),
            JournalRecordWriter.Offset(H, 262_144),
            JournalRecordWriter.Token(H, Token, At(3)),
            JournalRecordWriter.Created(H, "MEDIA-1", ProductUrl, "ALB-1", Name, At(4)),
            JournalRecordWriter.Failed(H, FilePath, Reason, At(5)),
            JournalRecordWriter.Discard(H, "expired", At(6)),
            JournalRecordWriter.Album(Title, "ALB-1", At(7), count: 12, full: true),
            JournalRecordWriter.AlbumFull("ALB-1", At(8)),
            JournalRecordWriter.Added(H, "ALB-2", At(9)),
            JournalRecordWriter.Missing(H, "MEDIA-1", At(10)),
            // No longer written (the index took its place), still read: journals on disks hold it.
            new JournalRecord
            {
                Kind = JournalKinds.Content, Hash = H, Path = FilePath, Size = 3_000_000, Modified = Mtime, Quick = Quick, SessionUrl = SessionUrl,
                Granularity = 262_144, SessionAt = At(5), Offset = 262_144, Token = Token, TokenAt = At(4), Id = "MEDIA-1", ProductUrl = ProductUrl,
                At = At(3), Reason = Reason, Albums = ["ALB-1", "ALB-2"],
            },
        ];
    }

    [Test]
    public async Task EveryKind_FullyPopulated_ComesBackFieldByField()
    {
        var records = FullyPopulatedRecords();
        var mismatches = new List<string>();
        foreach (var record in records)
        {
            var line = Line(record);
            var parsed = JournalRecordParser.Parse(line);
            if (parsed is null) mismatches.Add($"{record.Kind}: unreadable: {Encoding.UTF8.GetString(line)}");
            else mismatches.AddRange(Differences(record, parsed).Select(d => $"{record.Kind}: {d}"));
        }

        await Assert.That(string.Join("\n", mismatches)).IsEqualTo("");
        await Assert.That(records.Select(r => r.Kind).Order().ToArray()).IsEquivalentTo(Constants(typeof(JournalKinds)).Values.Order().ToArray());
    }

    [Test]
    public async Task EveryProperty_OfJournalRecord_IsWrittenUnderItsFieldName_AndReadBack()
    {
        var properties = typeof(JournalRecord).GetProperties(BindingFlags.Public | BindingFlags.Instance);
        var record = new JournalRecord { Kind = "every-field" };
        for (var i = 0; i < properties.Length; i++) properties[i].SetValue(record, SomeValue(properties[i], i));
        // An offset past the size is impossible (the parser refuses the line).
        typeof(JournalRecord).GetProperty(nameof(JournalRecord.Size))!.SetValue(record, 1_800_000_000_000L);

        var line = Line(record);
        var parsed = JournalRecordParser.Parse(line);

        // Written: each property under the JournalFields name that has its name, and nothing else.
        var fields = Constants(typeof(JournalFields));
        await Assert.That(string.Join(" ", fields.Keys.Order())).IsEqualTo(string.Join(" ", properties.Select(p => p.Name).Order()));
        await Assert.That(fields.Values.Distinct().Count()).IsEqualTo(fields.Count);
        using var json = JsonDocument.Parse(line);
        var written = new List<string>();
        foreach (var property in properties)
        {
            var value = json.RootElement.TryGetProperty(fields[property.Name], out var element) ? FromJson(element) : "(missing)";
            if (!Same(property.GetValue(record), value)) written.Add($"{property.Name}: \"{fields[property.Name]}\" is {Show(value)}, not {Show(property.GetValue(record))}");
        }

        await Assert.That(string.Join("\n", written)).IsEqualTo("");
        await Assert.That(json.RootElement.EnumerateObject().Count()).IsEqualTo(properties.Length);

        // Read back: every one of them.
        await Assert.That(parsed).IsNotNull();
        await Assert.That(string.Join("\n", Differences(record, parsed!))).IsEqualTo("");
        await Assert.That(string.Join(" ", properties.Where(p => p.GetValue(parsed) is null).Select(p => p.Name))).IsEqualTo("");
    }

    [Test]
    public async Task TodaysLines_AreWrittenByteForByte_AsBefore()
    {
        string[] written =
        [
            // The header is the one line that changed: version 2 says which index the file continues.
            TodaysAppendedLines[0] + "\n",
            .. new[]
            {
                JournalRecordWriter.Album(Title, "ALB-1", at: At(1)),
                JournalRecordWriter.Path(FilePath, 3_000_000, Mtime, H, Quick),
                JournalRecordWriter.Created(H, "MEDIA-1", ProductUrl, "ALB-1", Name, At(3)),
                JournalRecordWriter.Token(H, Token, At(4)),
                JournalRecordWriter.Session(H, SessionUrl, 262144, At(5)),
                JournalRecordWriter.Offset(H, 262144),
                JournalRecordWriter.Failed(H, FilePath, Reason, At(7)),
                JournalRecordWriter.Added(H, "ALB-2", At(8)),
                JournalRecordWriter.AlbumFull("ALB-1", At(9)),
                JournalRecordWriter.Path("/p/b.jpg", 20, 222, H2),
                JournalRecordWriter.Discard(H2, "expired", At(11)),
                JournalRecordWriter.Path("/p/copy-of-a.jpg", 3_000_000, Mtime + 1, H),
                JournalRecordWriter.Path(FilePath, 3_000_000, Mtime, H),
                JournalRecordWriter.Failed(null, "/p/unreadable.jpg", "EACCES", At(14)),
            }.Select(r => Encoding.UTF8.GetString(Line(r))),
        ];

        await Assert.That(string.Join("", written)).IsEqualTo(string.Join("", TodaysAppendedLines.Select(l => l + "\n")));
        await Assert.That(Encoding.UTF8.GetString(Line(JournalRecordWriter.Header(JournalFile.FormatVersion, 4, At(0)))))
            .IsEqualTo("""{"k":"header","at":1764300000000,"v":2,"gen":4}""" + "\n");
    }

    [Test]
    public async Task TodaysJournal_IsMigratedIntoTheIndex_WithEveryFact()
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, Journal.FileName);
        await File.WriteAllLinesAsync(file, TodaysAppendedLines);
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(At(15)));
        var a = $"{H} size=3000000 quick={Quick} session={SessionUrl} granularity=262144 sessionAt={At(5)} offset=262144 token={Token} tokenAt={At(4)} "
                + $"item=MEDIA-1 url={ProductUrl} createdAt={At(3)} albums=ALB-1,ALB-2 failure={Reason} failurePath={FilePath} lastPath={FilePath}";

        using (var journal = Journal.Open(dir.Path, time))
        {
            await Assert.That(journal.UnreadableLines).IsEqualTo(0);
            await Assert.That(journal.DroppedTornLastLine).IsFalse();
            await AssertTodaysFactsAsync(journal, a, "ALB-1 1 True");
            await Assert.That(journal.TryCompact()).IsTrue();
            await AssertTodaysFactsAsync(journal, a, "ALB-1 1 True");
        }

        // Everything moved into the index; the journal file begins the next generation.
        await Assert.That(File.Exists(Path.Combine(dir.Path, StateIndex.FileName))).IsTrue();
        await Assert.That(await File.ReadAllTextAsync(file)).IsEqualTo("""{"k":"header","at":1764300016665,"v":2,"gen":1}""" + "\n");
        using (var reopened = Journal.Open(dir.Path, time))
        {
            await AssertTodaysFactsAsync(reopened, a, "ALB-1 1 True");
        }
    }

    [Test]
    public async Task TodaysCompactedJournal_IsMigratedIntoTheIndex_WithEveryFact()
    {
        using var dir = new TempDir();
        await File.WriteAllLinesAsync(Path.Combine(dir.Path, Journal.FileName), TodaysCompactedLines);
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(At(15)));
        // A compacted line has no field for the failure's path; the last path is the path line's, read after the content line.
        var a = $"{H} size=3000000 quick={Quick} session={SessionUrl} granularity=262144 sessionAt={At(5)} offset=262144 token={Token} tokenAt={At(4)} "
                + $"item=MEDIA-1 url={ProductUrl} createdAt={At(3)} albums=ALB-1,ALB-2 failure={Reason} failurePath= lastPath=/p/copy-of-a.jpg";

        using (var journal = Journal.Open(dir.Path, time))
        {
            await Assert.That(journal.UnreadableLines).IsEqualTo(0);
            await AssertTodaysFactsAsync(journal, a, "ALB-1 1 True");
            await Assert.That(journal.TryCompact()).IsTrue();
        }

        using var reopened = Journal.Open(dir.Path, time);
        await AssertTodaysFactsAsync(reopened, a, "ALB-1 1 True");
    }

    private static async Task AssertTodaysFactsAsync(Journal journal, string a, string album)
    {
        await Assert.That(journal.HashOf(FilePath, 3_000_000, Mtime)).IsEqualTo(H);
        await Assert.That(journal.HashOf("/p/copy-of-a.jpg", 3_000_000, Mtime + 1)).IsEqualTo(H);
        await Assert.That(journal.HashOf("/p/b.jpg", 20, 222)).IsEqualTo(H2);
        await Assert.That(journal.HashOf("/p/b.jpg", 21, 222)).IsNull();
        await Assert.That(journal.HashByQuick(Quick)).IsEqualTo(H);
        await Assert.That(journal.AllContents().Count).IsEqualTo(2);
        await Assert.That(JournalContents.Describe(journal.Content(H)!)).IsEqualTo(a);
        await Assert.That(JournalContents.Describe(journal.Known(FilePath, 3_000_000, Mtime)!.Content!)).IsEqualTo(a);
        await Assert.That(JournalContents.Describe(journal.Content(H2)!)).IsEqualTo(
            $"{H2} size=20 quick= session= granularity= sessionAt= offset=0 token= tokenAt= item= url= createdAt= albums= failure= failurePath= lastPath=/p/b.jpg");
        var title = journal.AlbumsTitled(Title).Single();
        await Assert.That($"{title.Id} {title.Count} {title.Full}").IsEqualTo(album);
        await Assert.That(journal.AlbumById("ALB-2")).IsNull();
    }

    [Test]
    public async Task FieldsInAnyOrder_UnknownAndLongNames_AreRead()
    {
        // Key order as .ci/benchmark-library writes it; fields this version does not know, one with a known name's first letters.
        var record = JournalRecordParser.Parse(
            """{"zz":{"x":[1,2]},"k":"content","h":"aaa","s":3000000,"id":"M","url":"https://u","at":1764300000000,"titles":"x","p":"/p/a.jpg","m":638000000000000000,"k2":"path"}"""u8);

        await Assert.That(record).IsNotNull();
        await Assert.That($"{record!.Kind} {record.Hash} {record.Size} {record.Id} {record.ProductUrl} {record.At} {record.Path} {record.Modified} {record.Title ?? "-"}")
            .IsEqualTo("content aaa 3000000 M https://u 1764300000000 /p/a.jpg 638000000000000000 -");
    }

    [Test]
    [Arguments("""{"k":"content","h":"bbb","s":1,"as":[null]}""")]
    [Arguments("""{"k":"content","h":"bbb","s":1,"as":["ALB",5]}""")]
    [Arguments("""{"k":"content","h":"bbb","s":1,"as":[["ALB"]]}""")]
    [Arguments("""{"k":"album","id":"A","title":"T","full":"yes"}""")]
    [Arguments("""{"k":"album","id":"A","title":"T","c":2147483648}""")]
    [Arguments("""{"k":5,"h":"bbb"}""")]
    [Arguments("""{"h":"bbb"}""")]
    public async Task MalformedField_MakesAnUnreadableLine_NeverAFailedLoad(string bad)
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, Journal.FileName), $"{TodaysCompactedLines[3]}\n{bad}\n");

        using var journal = Journal.ReadOnly(dir.Path);

        await Assert.That(journal.UnreadableLines).IsEqualTo(1);
        await Assert.That(journal.HashOf("/p/b.jpg", 20, 222)).IsEqualTo(H2);
        await Assert.That(journal.Content("bbb")).IsNull();
    }

    private static byte[] Line(JournalRecord record) => JournalRecordWriter.LineOf(record);

    /// <summary>The public constants of a class, by name.</summary>
    private static Dictionary<string, string> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);

    /// <summary>The properties of two records that differ, lists compared item by item.</summary>
    private static IEnumerable<string> Differences(JournalRecord expected, JournalRecord actual)
    {
        foreach (var property in typeof(JournalRecord).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            object? e = property.GetValue(expected), a = property.GetValue(actual);
            if (!Same(e, a)) yield return $"{property.Name}: wrote {Show(e)}, read {Show(a)}";
        }
    }

    /// <summary>Equal values, numbers whatever their width, lists item by item.</summary>
    private static bool Same(object? a, object? b) => (a, b) switch
    {
        (IEnumerable x and not string, IEnumerable y and not string) => x.Cast<object?>().Count() == y.Cast<object?>().Count()
            && x.Cast<object?>().Zip(y.Cast<object?>()).All(p => Same(p.First, p.Second)),
        (int or long, int or long) => Convert.ToInt64(a) == Convert.ToInt64(b),
        _ => Equals(a, b),
    };

    private static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetInt64(),
        JsonValueKind.True or JsonValueKind.False => element.GetBoolean(),
        JsonValueKind.Array => element.EnumerateArray().Select(FromJson).ToList(),
        _ => element.GetRawText(),
    };

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        IEnumerable list => "[" + string.Join(",", list.Cast<object?>().Select(Show)) + "]",
        _ => value.ToString()!,
    };

    /// <summary>
    /// Something other than the default for a property, whatever its type (a type this does not know fails the
    /// test: teach it), different for each property; every number is a size, time, count and version a journal can hold.
    /// </summary>
    private static object SomeValue(PropertyInfo property, int index)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (type == typeof(string)) return $"{property.Name} \"é\" <\u0001>";
        if (type == typeof(long)) return 1_764_300_000_000L - 1000L * index;
        if (type == typeof(int)) return 1000 - index;
        if (type == typeof(bool)) return true;
        if (type == typeof(List<string>)) return new List<string> { property.Name + "-1", property.Name + " é" };
        throw new InvalidOperationException($"JournalSchemaTests cannot make a {type} for JournalRecord.{property.Name} yet: teach SomeValue");
    }
}
