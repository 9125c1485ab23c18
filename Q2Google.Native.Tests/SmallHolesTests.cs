using System.Text.Json;
using Q2Google.Auth;
using Q2Google.Tests.Infrastructure;
using Q2Google.Upload;

namespace Q2Google.Tests;

/// <summary>Smaller holes, same standard: names that could rewrite a terminal, long album titles, exit codes that say what happened.</summary>
public class SmallHolesTests
{
    [Test]
    public async Task ControlCharactersInNames_AreEscapedOnStdoutAndStderr()
    {
        await using var cli = await CliFixture.StartAsync();
        cli.Dir.File("home/pics/red\u001b[31mtext.jpg", 3000, 1);
        cli.Dir.File("home/pics/two\nlines.jpg", 3100, 2);
        cli.Dir.File("home/pics/tab\there.jpg", 3200, 3);
        cli.Dir.File("home/pics/empty\u001b]0;owned\u0007.jpg", 0);

        var result = await cli.RunAsync("upload", "pics");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        foreach (var output in new[] { result.Stdout, result.Stderr })
        {
            await Assert.That(output).DoesNotContain("\u001b");
            await Assert.That(output).DoesNotContain("\u0007");
            await Assert.That(output).DoesNotContain("\t");
            await Assert.That(output).DoesNotContain("two\nlines");
        }

        await Assert.That(result.Stdout).Contains(@"pics/red\x1b[31mtext.jpg");
        await Assert.That(result.Stdout).Contains(@"pics/two\nlines.jpg");
        await Assert.That(result.Stdout).Contains(@"pics/tab\there.jpg");
        await Assert.That(result.Stderr).Contains(@"pics/empty\x1b]0;owned\x07.jpg: skipped");
        await Assert.That(cli.Emulator.MediaItems.Count).IsEqualTo(3);
    }

    [Test]
    public async Task AlbumTitles_FitGooglesLimit_StayUniqueAndStable()
    {
        var deep = new string('a', 490) + "/end-one";
        var other = new string('a', 490) + "/end-two";

        await Assert.That(AlbumTitles.Fit("Trip")).IsEqualTo("Trip");
        await Assert.That(AlbumTitles.Fit("Trip", 3)).IsEqualTo("Trip (3)");
        await Assert.That(AlbumTitles.Fit(deep).Length).IsLessThanOrEqualTo(500);
        await Assert.That(AlbumTitles.Fit(deep)).IsNotEqualTo(AlbumTitles.Fit(other));
        await Assert.That(AlbumTitles.Fit(deep)).IsEqualTo(AlbumTitles.Fit(deep));
        await Assert.That(AlbumTitles.Fit(deep, 12).Length).IsLessThanOrEqualTo(500);
        await Assert.That(AlbumTitles.Fit(deep, 12)).EndsWith(" (12)");
        await Assert.That(AlbumTitles.Fit(new string('b', 500), 2).Length).IsLessThanOrEqualTo(500);
        // A character outside the BMP is never cut in half.
        var emoji = string.Concat(Enumerable.Repeat("\U0001F600", 300));
        await Assert.That(char.IsHighSurrogate(AlbumTitles.Fit(emoji)[^10])).IsFalse();
        await Assert.That(AlbumTitles.IsOneOf(AlbumTitles.Fit(deep, 4), deep)).IsTrue();
        await Assert.That(AlbumTitles.IsOneOf(AlbumTitles.Fit(other, 4), deep)).IsFalse();
    }

    [Test]
    public async Task AlbumPerFolder_WithFolderPathsOver500Characters_UniqueAlbumsWithinTheLimit_RerunMakesNone()
    {
        await using var cli = await CliFixture.StartAsync();
        var parent = string.Join('/', Enumerable.Range(0, 3).Select(i => new string((char)('a' + i), 200)));
        cli.Dir.File($"home/root/{parent}/first/IMG_1.jpg", 3000, 1);
        cli.Dir.File($"home/root/{parent}/second/IMG_2.jpg", 3100, 2);

        var result = await cli.RunAsync("upload", "root", "--album-per-folder");
        var again = await cli.RunAsync("upload", "root", "--album-per-folder");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        await Assert.That(again.ExitCode).IsEqualTo(0).Because(again.ToString());
        var albums = cli.Emulator.Albums;
        await Assert.That(albums.Count).IsEqualTo(2);
        await Assert.That(albums.All(a => a.Title.Length <= 500)).IsTrue();
        await Assert.That(albums[0].Title).IsNotEqualTo(albums[1].Title);
        await Assert.That(albums.All(a => a.MediaItemIds.Count == 1)).IsTrue();
    }

    [Test]
    public async Task MissingPath_IsAUsageError_BeforeAnyUpload()
    {
        await using var cli = await CliFixture.StartAsync();
        cli.Dir.File("home/IMG_1.jpg", 3000);

        var result = await cli.RunAsync("upload", "IMG_1.jpg", "no-such-folder");

        await Assert.That(result.ExitCode).IsEqualTo(2).Because(result.ToString());
        await Assert.That(result.Stderr.Trim().Split('\n').Length).IsEqualTo(1);
        await Assert.That(result.Stderr).Contains("no such file or folder: no-such-folder");
        await Assert.That(cli.Emulator.Requests.Count).IsEqualTo(0);
    }

    [Test]
    public async Task PlainHttpTokenUriOffThisMachine_IsAConfigurationError_AtStart()
    {
        await using var cli = await CliFixture.StartAsync();
        var token = FileTokenStore.Parse(await File.ReadAllBytesAsync(cli.TokenPath), "t");
        await new FileTokenStore(cli.TokenPath).SaveAsync(token with { TokenUri = "http://tokens.example.com/token" });
        LibraryTree.Create(cli.Dir, "home/pics", small: 3);

        var result = await cli.RunAsync("upload", "pics");

        await Assert.That(result.ExitCode).IsEqualTo(2).Because(result.ToString());
        await Assert.That(result.Stderr.Trim().Split('\n').Length).IsEqualTo(1).Because(result.ToString());
        await Assert.That(result.Stderr).Contains("must use https://");
        await Assert.That(cli.Emulator.Requests.Count).IsEqualTo(0);
    }

    [Test]
    public async Task StateFolderYouCannotWrite_SaysSoWithTheFix_Exit2()
    {
        await using var cli = await CliFixture.StartAsync();
        cli.Dir.File("home/IMG_1.jpg", 3000);
        var state = cli.Dir.Combine("home", "readonly-state");
        Directory.CreateDirectory(state);
        File.SetUnixFileMode(state, (UnixFileMode)0b101_000_000);

        var result = await cli.RunWithoutPermissionOverrideAsync("upload", "IMG_1.jpg", "--state-dir", state);

        await Assert.That(result.ExitCode).IsEqualTo(2).Because(result.ToString());
        await Assert.That(result.Stderr).Contains("permission denied; give --state-dir a folder you can write");
        await Assert.That(cli.Emulator.MediaItems.Count).IsEqualTo(0);
    }
}
