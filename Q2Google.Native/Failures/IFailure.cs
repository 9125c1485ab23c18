namespace Q2Google.Failures;

/// <summary>
/// An exception that knows what it means for a run. Each layer's exceptions say it themselves, so the policy
/// that every stage, client and the exit-code mapper ask (<see cref="FailurePolicy"/>) needs to know none of them.
/// </summary>
public interface IFailure
{
    FailureKind Kind { get; }
}
