using ConsoleAppFramework;

namespace Q2Google.Cli;

/// <summary>
/// The one place failures become exit codes: a known failure prints one line (no stack), Ctrl+C gives 130
/// after the framework's signal thread has settled, and only a real bug prints a stack trace.
/// </summary>
internal sealed class ExitCodeFilter(ConsoleAppFilter next) : ConsoleAppFilter(next)
{
    public override async Task InvokeAsync(ConsoleAppContext context, CancellationToken cancellationToken)
    {
        try
        {
            await Next.InvokeAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine("q2google: interrupted; everything finished so far is saved, run the same command again to continue");
            Environment.ExitCode = ExitCodes.Interrupted;
            // Let ConsoleAppFramework's signal handler finish before the process exits: without the pause about half of all Ctrl+C exits were 134, not 130.
            await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var outcome = ExitCodeMapper.Map(e);
            Console.Error.WriteLine("q2google: " + outcome.Message);
            Environment.ExitCode = outcome.ExitCode;
        }
    }
}
