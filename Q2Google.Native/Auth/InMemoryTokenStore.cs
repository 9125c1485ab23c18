namespace Q2Google.Auth;

/// <summary>
/// A token that must never touch the disk: <c>Q2GOOGLE_TOKEN_JSON</c> in CI. Refreshes live only as long as
/// the process.
/// </summary>
public sealed class InMemoryTokenStore : ITokenStore
{
    public const string EnvironmentVariable = "Q2GOOGLE_TOKEN_JSON";

    private readonly string? _json;
    private AuthorizedUserToken? _token;
    private bool _parsed;

    public InMemoryTokenStore(AuthorizedUserToken? token, string description)
    {
        _token = token;
        _parsed = true;
        Description = description;
    }

    private InMemoryTokenStore(string json, string description)
    {
        _json = json;
        Description = description;
    }

    public string Description { get; }

    /// <summary>Parsed on first use, so a bad variable is reported by the command that needs it.</summary>
    public static InMemoryTokenStore FromEnvironment(string json) => new(json, $"environment variable {EnvironmentVariable}");

    public Task<AuthorizedUserToken?> LoadAsync(CancellationToken cancellationToken = default)
    {
        if (!_parsed)
        {
            _token = FileTokenStore.Parse(System.Text.Encoding.UTF8.GetBytes(_json!), $"the {EnvironmentVariable} variable");
            _parsed = true;
        }

        return Task.FromResult(_token);
    }

    public Task SaveAsync(AuthorizedUserToken token, CancellationToken cancellationToken = default)
    {
        _token = token;
        _parsed = true;
        return Task.CompletedTask;
    }
}
