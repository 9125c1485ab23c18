using Q2Google.Tests.Infrastructure;

namespace Q2Google.Tests;

/// <summary>
/// The NativeAOT binary itself, as users get it from <c>./publish.sh</c>: trimming or AOT problems show up
/// only here. Skipped (with the reason) when it has not been published; <c>.ci/run</c> always publishes first
/// and counts a skip as a failure.
/// </summary>
public class PublishedBinaryTests
{
    private static string? PublishedBinary()
    {
        if (Environment.GetEnvironmentVariable("Q2GOOGLE_BINARY") is { Length: > 0 } fromEnvironment) return fromEnvironment;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Q2Google.slnx"))) continue;
            var artifact = Path.Combine(dir.FullName, "artifacts", "q2google-linux-x64");
            return File.Exists(artifact) ? artifact : null;
        }

        return null;
    }

    [Test]
    public async Task PublishedBinary_UploadsThroughEmulator_AndReadsItBack()
    {
        var binary = PublishedBinary();
        Skip.When(binary is null, "no published binary: run ./publish.sh (or set Q2GOOGLE_BINARY)");
        await using var cli = await CliFixture.StartAsync();
        var photo = cli.Dir.File("home/IMG_0001.JPG", 700_000);

        var upload = await cli.RunAsync(["upload", "IMG_0001.JPG", "--json", "--chunk-size", "256K"], null, binary);
        var id = CliFixture.JsonLines(upload).FirstOrDefault().GetProperty("mediaItemId").GetString();
        var get = await cli.RunAsync(["media", "get", id!, "--json"], null, binary);
        var bad = await cli.RunAsync(["upload", "--bogus"], null, binary);

        await Assert.That(upload.ExitCode).IsEqualTo(0).Because(upload.ToString());
        await Assert.That(cli.ItemsFor(photo)).IsEqualTo(1);
        await Assert.That(get.ExitCode).IsEqualTo(0).Because(get.ToString());
        await Assert.That(get.Stdout).Contains("IMG_0001.JPG");
        await Assert.That(bad.ExitCode).IsEqualTo(2);
    }
}
