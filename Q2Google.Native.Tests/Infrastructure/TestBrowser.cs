using Q2Google.Auth;

namespace Q2Google.Tests.Infrastructure;

/// <summary>
/// A "browser" that follows the authorization URL like a real one: the emulator's consent page approves (or
/// denies) and redirects to the loopback listener, whose page it keeps. It can also tamper with the
/// redirect, to play an attacker or a stale tab.
/// </summary>
internal sealed class TestBrowser(Func<Uri, Uri>? tamper = null) : IOAuthBrowser
{
    private readonly TaskCompletionSource<string> _page = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Uri? OpenedUrl { get; private set; }

    /// <summary>The HTML the loopback listener answered with.</summary>
    public Task<string> FinalPage => _page.Task;

    public bool TryOpen(Uri url)
    {
        OpenedUrl = url;
        _ = Task.Run(async () =>
        {
            try
            {
                _page.TrySetResult(await FollowAsync(url, tamper));
            }
            catch (Exception e)
            {
                _page.TrySetException(e);
            }
        });
        return true;
    }

    /// <summary>Goes to the consent page and returns where it redirects (the loopback URL with code and state).</summary>
    public static async Task<Uri> RedirectOfAsync(Uri authorizationUrl)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var response = await http.GetAsync(authorizationUrl);
        return response.Headers.Location ?? throw new InvalidOperationException($"the consent page answered {(int)response.StatusCode} without a redirect");
    }

    public static async Task<string> FollowAsync(Uri authorizationUrl, Func<Uri, Uri>? tamper = null)
    {
        var redirect = await RedirectOfAsync(authorizationUrl);
        if (tamper is not null) redirect = tamper(redirect);
        using var http = new HttpClient();
        using var response = await http.GetAsync(redirect);
        return await response.Content.ReadAsStringAsync();
    }
}

/// <summary>A browser that cannot be opened (a NAS over SSH).</summary>
internal sealed class NoBrowser : IOAuthBrowser
{
    public bool TryOpen(Uri url) => false;
}

/// <summary>Captures what the login prints and lets a test wait for a line, e.g. the authorization URL.</summary>
internal sealed class PromptCapture : TextWriter
{
    private readonly System.Text.StringBuilder _text = new();
    private readonly TaskCompletionSource<Uri> _url = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

    public Task<Uri> AuthorizationUrl => _url.Task;

    public string Text
    {
        get { lock (_text) return _text.ToString(); }
    }

    public override void Write(char value)
    {
        lock (_text)
        {
            _text.Append(value);
            if (value != '\n') return;
            var lines = _text.ToString().Split('\n');
            var line = lines[^2].Trim();
            if (line.StartsWith("http", StringComparison.Ordinal) && line.Contains("/o/oauth2/", StringComparison.Ordinal)) _url.TrySetResult(new Uri(line));
        }
    }
}

/// <summary>Standard input a test types into, line by line, while the login waits.</summary>
internal sealed class TypedInput : TextReader
{
    private readonly System.Threading.Channels.Channel<string?> _lines = System.Threading.Channels.Channel.CreateUnbounded<string?>();

    public void Type(string line) => _lines.Writer.TryWrite(line);

    public void End() => _lines.Writer.TryWrite(null);

    public override string? ReadLine() => _lines.Reader.ReadAsync().AsTask().GetAwaiter().GetResult();
}
