namespace Q2Google.Cli;

/// <summary>The exit codes of docs/cli.md#exit-codes; scripts depend on them.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int SomeFilesFailed = 1;
    public const int Usage = 2;
    public const int Authentication = 3;
    public const int DailyQuota = 4;
    public const int Interrupted = 130;
}
