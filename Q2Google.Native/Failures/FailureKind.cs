namespace Q2Google.Failures;

/// <summary>What a failure means for a run, whatever layer it comes from; see <see cref="FailurePolicy"/>.</summary>
public enum FailureKind
{
    /// <summary>Another attempt may cure it: the network, a timeout, a 5xx, a per-minute 429. Retried with backoff.</summary>
    Transient,

    /// <summary>
    /// The host does not resolve or refuses connections: retried briefly (<see cref="RetryOptions.UnreachableAttempts"/>),
    /// then the end of the run (exit 1), since every request would fail the same way.
    /// </summary>
    Unreachable,

    /// <summary>This one file cannot be done now (it changed, it is unreadable, Google refused it); the run goes on.</summary>
    File,

    /// <summary>The album is full: its items go to the next "Title (n)".</summary>
    AlbumFull,

    /// <summary>Google's daily quota or the request budget is used up: the run stops cleanly (exit 4) and a later run continues.</summary>
    Stop,

    /// <summary>Not logged in, a dead refresh token, a missing scope: nothing can work until the user logs in (exit 3).</summary>
    Authentication,

    /// <summary>A setting, file or folder cannot be used (exit 2): said once, before or instead of any work.</summary>
    Configuration,

    /// <summary>The command line is wrong (exit 2).</summary>
    Usage,

    /// <summary>Nothing more can be done safely in this run (an untrusted certificate, a journal that cannot be written): it ends at once (exit 1).</summary>
    Run,

    /// <summary>Ctrl+C or SIGTERM (exit 130).</summary>
    Interrupted,

    /// <summary>Not expected at all: a bug. One line for the person, the details in a file.</summary>
    Bug,
}
