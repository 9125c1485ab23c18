using Q2Google.Failures;

namespace Q2Google.Api;

/// <summary>The run used the requests it was allowed (<c>--max-requests</c>, or a day's share of one); nothing more is sent.</summary>
public sealed class RequestBudgetExhaustedException(string message) : Exception(message), IFailure
{
    public RequestBudgetExhaustedException(long budget) : this($"the request budget of {budget} API requests (--max-requests) is used up")
    {
    }

    public FailureKind Kind => FailureKind.Stop;
}
