using Q2Google.Upload;

namespace Q2Google.Tests.Infrastructure;

/// <summary>The engine's whole pass over PATHs, as a one-shot <c>upload PATH...</c> makes it (<see cref="UploadService"/>).</summary>
internal static class UploadRunExtensions
{
    public static Task RunAsync(this UploadRun run, IReadOnlyList<string> paths, CancellationToken cancellationToken) =>
        run.RunAsync(paths.SelectMany(run.Walker.Walk), whole: true, cancellationToken);
}
