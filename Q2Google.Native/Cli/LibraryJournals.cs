using Q2Google.Api;
using Q2Google.Auth;
using Q2Google.Failures;
using Q2Google.State;
using Q2Google.Upload;

namespace Q2Google.Cli;

/// <summary>
/// The commands' one way to the journal: the library is the API endpoint in use plus the login's account, so
/// every command that reads or writes the journal first finds out whose library it is working on.
/// </summary>
internal sealed class LibraryJournals(CliSettings settings, GooglePhotosOAuth logins, ITokenStore store, GooglePhotosApi api,
    RetryOptions retry, Terminal terminal, TimeProvider time)
{
    public StateDirectory State { get; } = new(settings.StateDir);

    /// <summary>The library the last journal opened or read belongs to (null before, or without a login).</summary>
    public LibraryIdentity? Identity { get; private set; }

    /// <summary>The library of the login in use (logging in first at a terminal), with the warnings a run should show once.</summary>
    public async Task<LibraryIdentity> CurrentAsync(CancellationToken cancellationToken)
    {
        var login = await logins.GetLoginAsync(cancellationToken).ConfigureAwait(false);
        if (store is FileTokenStore file && file.ExposureWarning() is { } exposed) terminal.Warn(exposed);
        var identity = Identity = settings.LibraryOf(login);
        if (!identity.KnowsAccount)
        {
            terminal.Warn($"this login does not say which Google account it belongs to, so its journal is kept for {identity.Describe()}; " +
                          "run `q2google auth login` once to record the account");
        }

        return identity;
    }

    /// <summary>The library of the saved login without any network request (for <c>status</c>); null when there is no login.</summary>
    public async Task<LibraryIdentity?> SavedAsync(CancellationToken cancellationToken) =>
        await store.LoadAsync(cancellationToken).ConfigureAwait(false) is { } login ? settings.LibraryOf(login) : null;

    /// <summary>Locks and opens the current library's journal, adopting an earlier one that proves to be this library's.</summary>
    public async Task<Journal> OpenAsync(CancellationToken cancellationToken) =>
        await OpenAsync(await CurrentAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>Locks and opens the journal of a library already found out (<see cref="CurrentAsync"/>).</summary>
    public async Task<Journal> OpenAsync(LibraryIdentity identity, CancellationToken cancellationToken)
    {
        var journal = await LibraryJournal.OpenAsync(State, identity, api, retry, note => terminal.Info(note), time, cancellationToken).ConfigureAwait(false);
        JournalWarnings.Report(journal, terminal);
        return journal;
    }

    /// <summary>The current library's journal, read without the lock (a dry run); without any login, an empty one.</summary>
    public async Task<Journal> ReadAsync(CancellationToken cancellationToken)
    {
        if (settings.TokenJson is null && await store.LoadAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            terminal.Warn("not logged in: the plan cannot know which files are already in your library, so it counts them all");
            return Journal.Empty(time);
        }

        var journal = LibraryJournal.OpenReadOnly(State, await CurrentAsync(cancellationToken).ConfigureAwait(false), time);
        JournalWarnings.Report(journal, terminal);
        return journal;
    }
}
