using System.Text.Json;
using Q2Google.Emulator;
using Q2Google.Tests.Infrastructure;

namespace Q2Google.Tests;

/// <summary>`verify` as the real executable against the emulator: is what the journal says was uploaded still there?</summary>
public class VerifyTests
{
    private static JsonElement Summary(CliResult result) => CliFixture.JsonLines(result).Last();

    private static List<JsonElement> Missing(CliResult result) =>
        CliFixture.JsonLines(result).Where(l => l.GetProperty("type").GetString() == "missing").ToList();

    /// <summary>Uploads <paramref name="count"/> small photos under home/pics and returns their paths.</summary>
    private static async Task<List<string>> UploadedAsync(CliFixture cli, int count)
    {
        var files = LibraryTree.Create(cli.Dir, "home/pics", small: count);
        var upload = await cli.RunAsync("upload", "pics");
        await Assert.That(upload.ExitCode).IsEqualTo(0).Because(upload.ToString());
        return files;
    }

    /// <summary>Plays the user who deletes <paramref name="file"/>'s photo in the Google Photos app, through the control endpoint.</summary>
    private static async Task DeleteInTheAppAsync(CliFixture cli, string file)
    {
        var id = cli.Harness.ItemsWithContentOf(file).Single().Id;
        using var http = new HttpClient();
        using var answer = await http.PostAsync(new Uri(cli.Emulator.BaseUrl, $"emulator/mediaItems/{id}:delete"), new ByteArrayContent([]));
        await Assert.That((int)answer.StatusCode).IsEqualTo(200);
    }

    [Test]
    public async Task Verify_UntouchedLibrary_AllPresent_Exit0_CostSaidFirst()
    {
        await using var cli = await CliFixture.StartAsync();
        await UploadedAsync(cli, 3);
        var before = cli.Emulator.RequestsToday;

        var result = await cli.RunAsync("verify", "--json");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(result.Stderr).Contains("verifying 3 uploaded items: 1 API request");
        await Assert.That(result.StdoutLines.Length).IsEqualTo(1).Because(result.Stdout);
        var summary = Summary(result);
        await Assert.That(summary.GetProperty("type").GetString()).IsEqualTo("summary");
        await Assert.That(summary.GetProperty("checked").GetInt32()).IsEqualTo(3);
        await Assert.That(summary.GetProperty("present").GetInt32()).IsEqualTo(3);
        await Assert.That(summary.GetProperty("missing").GetInt32()).IsEqualTo(0);
        await Assert.That(summary.GetProperty("requests").GetInt64()).IsEqualTo(1);
        await Assert.That(cli.Emulator.RequestsToday - before).IsEqualTo(1);
        await Assert.That(cli.Emulator.Requests.Last().Path).IsEqualTo("/v1/mediaItems:batchGet");
    }

    [Test]
    public async Task Verify_ItemDeletedInTheApp_ReportedWithItsPath_Exit1_AndWithoutRepairNothingChanges()
    {
        await using var cli = await CliFixture.StartAsync();
        var files = await UploadedAsync(cli, 3);
        await DeleteInTheAppAsync(cli, files[1]);

        var result = await cli.RunAsync("verify", "--json");
        var text = await cli.RunAsync("verify");
        var upload = await cli.RunAsync("upload", "pics", "--json");

        await Assert.That(result.ExitCode).IsEqualTo(1).Because(result.ToString());
        var missing = Missing(result).Single();
        await Assert.That(missing.GetProperty("path").GetString()).IsEqualTo(files[1]);
        await Assert.That(missing.GetProperty("localFile").GetBoolean()).IsTrue();
        await Assert.That(missing.TryGetProperty("repair", out _)).IsFalse();
        await Assert.That(Summary(result).GetProperty("present").GetInt32()).IsEqualTo(2);
        await Assert.That(Summary(result).GetProperty("missing").GetInt32()).IsEqualTo(1);
        await Assert.That(text.ExitCode).IsEqualTo(1);
        await Assert.That(text.Stdout).Contains(files[1]);
        await Assert.That(text.Stdout).Contains("2 present, 1 missing");
        await Assert.That(text.Stderr).Contains("--repair");
        // A photo deleted on purpose does not come back unless asked for.
        await Assert.That(Summary(upload).GetProperty("uploaded").GetInt32()).IsEqualTo(0);
        await Assert.That(cli.ItemsFor(files[1])).IsEqualTo(0);
    }

    [Test]
    public async Task Verify_Repair_ThenUpload_BringsTheItemBackExactlyOnce()
    {
        await using var cli = await CliFixture.StartAsync();
        var files = await UploadedAsync(cli, 3);
        var deleted = cli.Harness.ItemsWithContentOf(files[1]).Single().Id;
        await DeleteInTheAppAsync(cli, files[1]);

        var repair = await cli.RunAsync("verify", "--repair", "--json");
        var upload = await cli.RunAsync("upload", "pics", "--json");
        var again = await cli.RunAsync("upload", "pics", "--json");
        var verified = await cli.RunAsync("verify");

        await Assert.That(repair.ExitCode).IsEqualTo(1).Because(repair.ToString());
        await Assert.That(Missing(repair).Single().GetProperty("repair").GetString()).IsEqualTo("marked");
        await Assert.That(Summary(repair).GetProperty("marked").GetInt32()).IsEqualTo(1);
        await Assert.That(upload.ExitCode).IsEqualTo(0).Because(upload.ToString());
        await Assert.That(Summary(upload).GetProperty("uploaded").GetInt32()).IsEqualTo(1);
        var back = cli.Harness.ItemsWithContentOf(files[1]).Single();
        await Assert.That(back.Id).IsNotEqualTo(deleted);
        await Assert.That(cli.Emulator.MediaItems.Count).IsEqualTo(3);
        await Assert.That(Summary(again).GetProperty("uploaded").GetInt32()).IsEqualTo(0);
        await Assert.That(Summary(again).GetProperty("requests").GetInt64()).IsEqualTo(0);
        await Assert.That(verified.ExitCode).IsEqualTo(0).Because(verified.ToString());
        await LibraryTree.AssertEachExactlyOnceAsync(cli.Harness, files, Path.Combine(cli.Home, ".local", "state", "q2google"));
    }

    [Test]
    public async Task Verify_Repair_PutsTheItemBackInItsAlbum()
    {
        await using var cli = await CliFixture.StartAsync();
        var files = LibraryTree.Create(cli.Dir, "home/trip", small: 2);
        await cli.RunAsync("upload", "trip", "--album", "Trip");
        await DeleteInTheAppAsync(cli, files[0]);

        await cli.RunAsync("verify", "--repair");
        var upload = await cli.RunAsync("upload", "trip", "--album", "Trip");

        await Assert.That(upload.ExitCode).IsEqualTo(0).Because(upload.ToString());
        var album = cli.Emulator.Albums.Single();
        await Assert.That(album.MediaItemIds.Count).IsEqualTo(2);
        await Assert.That(album.MediaItemIds).Contains(cli.Harness.ItemsWithContentOf(files[0]).Single().Id);
    }

    [Test]
    public async Task Verify_MissingItemWhoseFileIsGoneToo_IsUnrepairable_AndRepairMarksNothingToSend()
    {
        await using var cli = await CliFixture.StartAsync();
        var files = await UploadedAsync(cli, 3);
        await DeleteInTheAppAsync(cli, files[0]);
        File.Delete(files[0]);

        var result = await cli.RunAsync("verify", "--json");
        var text = await cli.RunAsync("verify", "--repair");
        var upload = await cli.RunAsync("upload", "pics", "--json");

        await Assert.That(result.ExitCode).IsEqualTo(1).Because(result.ToString());
        var missing = Missing(result).Single();
        await Assert.That(missing.GetProperty("path").GetString()).IsEqualTo(files[0]);
        await Assert.That(missing.GetProperty("localFile").GetBoolean()).IsFalse();
        await Assert.That(missing.GetProperty("repair").GetString()).IsEqualTo("unrepairable");
        await Assert.That(Summary(result).GetProperty("unrepairable").GetInt32()).IsEqualTo(1);
        await Assert.That(text.Stdout).Contains("unrepairable");
        await Assert.That(Summary(upload).GetProperty("uploaded").GetInt32()).IsEqualTo(0);
        await Assert.That(cli.Emulator.MediaItems.Count).IsEqualTo(2);
    }

    [Test]
    public async Task Verify_Sample_ChecksThatShare_AndSaysItExtrapolates()
    {
        await using var cli = await CliFixture.StartAsync();
        var files = await UploadedAsync(cli, 40);
        foreach (var file in files.Take(20)) await DeleteInTheAppAsync(cli, file);
        var before = cli.Emulator.RequestsToday;

        var json = await cli.RunAsync("verify", "--sample", "25", "--json");
        var text = await cli.RunAsync("verify", "--sample", "25%");

        var summary = Summary(json);
        await Assert.That(summary.GetProperty("items").GetInt32()).IsEqualTo(40);
        await Assert.That(summary.GetProperty("selected").GetInt32()).IsEqualTo(10);
        await Assert.That(summary.GetProperty("checked").GetInt32()).IsEqualTo(10);
        await Assert.That(summary.GetProperty("sampledPercent").GetDouble()).IsEqualTo(25);
        var missing = summary.GetProperty("missing").GetInt32();
        await Assert.That(Missing(json).Count).IsEqualTo(missing);
        await Assert.That(summary.GetProperty("estimatedMissing").GetInt64()).IsEqualTo(missing * 4L);
        await Assert.That(json.Stderr).Contains("a random 25% of 40 uploaded items (10): 1 API request");
        await Assert.That(cli.Emulator.RequestsToday - before).IsEqualTo(2);
        await Assert.That(text.Stdout).Contains("10 of 40 items checked (a random 25%)");
        await Assert.That(text.Stdout).Contains("extrapolated from the sample");
    }

    [Test]
    public async Task Verify_MaxRequests_StopsWithExit4_AndPartialFigures()
    {
        await using var cli = await CliFixture.StartAsync();
        await UploadedAsync(cli, 120);

        var result = await cli.RunAsync("verify", "--max-requests", "2", "--json");

        await Assert.That(result.ExitCode).IsEqualTo(4).Because(result.ToString());
        await Assert.That(result.Stderr).Contains("verifying 120 uploaded items: 3 API requests");
        await Assert.That(result.Stderr).Contains("--max-requests 2 stops it after 100 items");
        var summary = Summary(result);
        await Assert.That(summary.GetProperty("checked").GetInt32()).IsEqualTo(100);
        await Assert.That(summary.GetProperty("present").GetInt32()).IsEqualTo(100);
        await Assert.That(summary.GetProperty("notChecked").GetInt32()).IsEqualTo(20);
        await Assert.That(summary.GetProperty("requests").GetInt64()).IsEqualTo(2);
        await Assert.That(summary.GetProperty("stopped").GetString()).Contains("--max-requests");
    }

    [Test]
    public async Task Verify_DailyQuotaSpent_StopsWithExit4()
    {
        await using var cli = await CliFixture.StartAsync();
        await UploadedAsync(cli, 60);
        cli.Emulator.Options = cli.Emulator.Options with { DailyQuota = cli.Emulator.RequestsToday + 1 };

        var result = await cli.RunAsync("verify", "--json");

        await Assert.That(result.ExitCode).IsEqualTo(4).Because(result.ToString());
        await Assert.That(result.Stderr).Contains("daily quota");
        await Assert.That(Summary(result).GetProperty("checked").GetInt32()).IsEqualTo(50);
    }

    [Test]
    public async Task Verify_Path_ChecksOnlyTheFilesUnderIt_AndAnEmptyPathIsAUsageError()
    {
        await using var cli = await CliFixture.StartAsync();
        var files = await UploadedAsync(cli, 6);
        var folder = Path.GetDirectoryName(files[0])!;

        var result = await cli.RunAsync("verify", folder, "--json");
        var empty = await cli.RunAsync("verify", cli.Dir.Combine("home", "elsewhere"));

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(Summary(result).GetProperty("checked").GetInt32()).IsEqualTo(files.Count(f => Path.GetDirectoryName(f) == folder));
        await Assert.That(empty.ExitCode).IsEqualTo(2).Because(empty.ToString());
        await Assert.That(empty.Stderr).Contains("holds no uploaded file under");
    }

    [Test]
    public async Task Verify_BadSample_IsAUsageError()
    {
        await using var cli = await CliFixture.StartAsync();

        var result = await cli.RunAsync("verify", "--sample", "0");

        await Assert.That(result.ExitCode).IsEqualTo(2).Because(result.ToString());
        await Assert.That(result.Stderr).Contains("--sample");
    }

    [Test]
    public async Task Status_AfterVerify_ShowsWhenAndWhatWasMissing()
    {
        await using var cli = await CliFixture.StartAsync();
        var files = await UploadedAsync(cli, 3);
        var never = await cli.RunAsync("status");
        await DeleteInTheAppAsync(cli, files[2]);
        await cli.RunAsync("verify");

        var text = await cli.RunAsync("status");
        var json = await cli.RunAsync("status", "--json");

        await Assert.That(never.Stdout).Contains("verified:  never");
        await Assert.That(text.ExitCode).IsEqualTo(0).Because(text.ToString());
        await Assert.That(text.Stdout).Contains($"verified:  {DateTime.UtcNow:yyyy-MM-dd}");
        await Assert.That(text.Stdout).Contains("3 of 3 items checked, 1 missing");
        await Assert.That(text.Stdout).Contains($"  missing: {files[2]}");
        var verified = JsonDocument.Parse(json.Stdout).RootElement.GetProperty("verified");
        await Assert.That(verified.GetProperty("missing").GetInt32()).IsEqualTo(1);
        await Assert.That(verified.GetProperty("missingPaths")[0].GetString()).IsEqualTo(files[2]);
    }

    [Test]
    [Arguments(5, false)]
    [Arguments(3, true)]
    public async Task Verify_WhateverGoogleSaysOfAMissingId_ItIsMissing(int code, bool wholeBatchRefused)
    {
        // Google documents a per-item status but not its code; a whole-batch 400 is UNCONFIRMED: each is handled.
        await using var cli = await CliFixture.StartAsync(new EmulatorOptions { BatchGetMissingItemCode = code, BatchGetRefusesUnknownIds = wholeBatchRefused });
        var files = await UploadedAsync(cli, 3);
        await DeleteInTheAppAsync(cli, files[0]);

        var result = await cli.RunAsync("verify", "--json");

        await Assert.That(result.ExitCode).IsEqualTo(1).Because(result.ToString());
        await Assert.That(Missing(result).Single().GetProperty("path").GetString()).IsEqualTo(files[0]);
        await Assert.That(Summary(result).GetProperty("present").GetInt32()).IsEqualTo(2);
        await Assert.That(Summary(result).GetProperty("requests").GetInt64()).IsEqualTo(wholeBatchRefused ? 4 : 1);
    }
}
