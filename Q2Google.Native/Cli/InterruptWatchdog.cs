using System.Runtime.InteropServices;

namespace Q2Google.Cli;

/// <summary>
/// Ctrl+C and SIGTERM end any run within seconds, whatever it is doing. The normal way is cancellation, which
/// every stage honours; this is the guarantee behind it for what cannot be cancelled (a read from a dead NFS
/// server, a thread parked on the terminal): if the run has not ended <see cref="Grace"/> after the signal, the
/// process exits with 130 anyway. Nothing is lost by that: journal lines reach the kernel as they are written,
/// and the lock goes with the process.
/// </summary>
internal static class InterruptWatchdog
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(4);

    private static PosixSignalRegistration? _interrupt;
    private static PosixSignalRegistration? _terminate;
    private static int _armed;

    public static void Install()
    {
        if (Interlocked.Exchange(ref _armed, 1) == 1) return;
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    private static int _fired;

    private static void OnSignal(PosixSignalContext context)
    {
        // The framework's own handler turns the signal into cancellation; this only sets the deadline.
        if (Interlocked.Exchange(ref _fired, 1) == 1) return;
        var deadline = new Thread(() =>
        {
            Thread.Sleep(Grace);
            Console.Error.WriteLine("q2google: interrupted; the run did not stop within a few seconds, so it ends now. Everything finished so far is saved");
            Environment.Exit(ExitCodes.Interrupted);
        }) { IsBackground = true, Name = "interrupt deadline" };
        deadline.Start();
    }
}
