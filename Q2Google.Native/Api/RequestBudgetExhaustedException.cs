using Q2Google.Failures;

namespace Q2Google.Api;

/// <summary>The run used the request budget it was given (<c>--max-requests</c>); nothing more is sent.</summary>
public sealed class RequestBudgetExhaustedException(long budget)
    : Exception($"the request budget of {budget} API requests (--max-requests) is used up"), IFailure
{
    public FailureKind Kind => FailureKind.Stop;
}
