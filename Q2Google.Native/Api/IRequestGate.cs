namespace Q2Google.Api;

/// <summary>
/// Asked before every request the API client sends: a budget shared with other clients (jobs whose logins share
/// one OAuth client, and so one daily quota) says whether this one may go.
/// </summary>
public interface IRequestGate
{
    /// <summary>Counts the request, or throws <see cref="RequestBudgetExhaustedException"/> when it may not be sent.</summary>
    void Take();
}
