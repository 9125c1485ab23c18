using System.Net;
using System.Net.Sockets;
using Q2Google.Failures;
using Q2Google.Http;

namespace Q2Google.Auth;

/// <summary>
/// The browser half of the installed-app flow (docs/protocol.md#authorization-request, #loopback-callback and #headless-login): a listener on 127.0.0.1 started
/// before the URL is shown, raced against the user pasting the redirected URL (or the bare code) on stdin,
/// for machines whose browser is somewhere else. Whichever valid answer comes first wins; a wrong or missing
/// <c>state</c> is refused and the wait goes on; the listener always stops.
/// </summary>
internal sealed class LoopbackAuthorization(ClientSecrets client, IReadOnlyList<string> scopes, Pkce pkce, LoginOptions options,
    IOAuthBrowser browser, TextReader input, TextWriter prompt)
{
    private readonly TaskCompletionSource<AuthorizationCallback> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public sealed record Result(string Code, string RedirectUri, string? GrantedScope);

    public async Task<Result> RunAsync(CancellationToken cancellationToken)
    {
        HttpServer server;
        try
        {
            server = new HttpServer(new IPEndPoint(IPAddress.Loopback, options.Port), HandleAsync);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            throw new ConfigurationException(
                $"cannot listen on 127.0.0.1:{options.Port} ({e.SocketErrorCode}): pick another --port, or leave --port out to use a free one");
        }

        await using (server.ConfigureAwait(false))
        {
            server.Start();
            // Exactly this string goes to the consent page and to the token exchange, trailing slash included.
            var redirectUri = $"http://127.0.0.1:{server.EndPoint.Port}/";
            var url = AuthorizationUrl(redirectUri);
            var opened = !options.NoBrowser && browser.TryOpen(url);
            prompt.WriteLine(opened
                ? "A browser window should open. If it does not, open this URL:"
                : "Open this URL in a browser (on any machine) and allow access:");
            prompt.WriteLine();
            prompt.WriteLine("  " + url.AbsoluteUri);
            prompt.WriteLine();
            prompt.WriteLine($"Waiting for Google to redirect to {redirectUri} (up to {options.Timeout.TotalSeconds:0} s).");
            prompt.WriteLine("If that browser is on another machine, its last page will fail to load: copy that page's address");
            prompt.WriteLine($"(it starts with {redirectUri}?) or just the code in it, paste it here and press Enter:");
            prompt.Flush();

            _ = ReadPastedAnswersAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Timeout);
            AuthorizationCallback answer;
            try
            {
                answer = await _answer.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new AuthenticationRequiredException(
                    $"no answer from Google within {options.Timeout.TotalSeconds:0} s; nothing was changed. If the browser showed an error " +
                    "(redirect_uri_mismatch, invalid_client, access blocked), check the OAuth client; then run `q2google auth login` again " +
                    "(--timeout SECONDS gives more time)");
            }

            if (answer.Error is { } error)
            {
                throw new AuthenticationRequiredException(error == "access_denied"
                    ? "access was denied on Google's consent page (error=access_denied); nothing was changed. Run `q2google auth login` again and allow access"
                    : $"Google's consent page answered error={error}; nothing was changed. Run `q2google auth login` again");
            }

            return new Result(answer.Code!, redirectUri, answer.GrantedScope);
        }
    }

    public Uri AuthorizationUrl(string redirectUri)
    {
        var query = new List<KeyValuePair<string, string>>
        {
            new("client_id", client.ClientId),
            new("redirect_uri", redirectUri),
            new("response_type", "code"),
            new("scope", string.Join(' ', scopes)),
            new("state", pkce.State),
            new("code_challenge", pkce.Challenge),
            new("code_challenge_method", "S256"),
            new("access_type", "offline"),
            // Without consent Google may skip issuing a refresh token for a client it has seen before.
            new("prompt", "consent"),
        };
        var separator = client.AuthUri.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        return new Uri(client.AuthUri + separator + string.Join('&', query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}")));
    }

    private ValueTask<HttpResponse> HandleAsync(HttpExchange exchange, CancellationToken cancellationToken)
    {
        if (exchange.Request.Path != "/" || exchange.Request.Method != "GET") return ValueTask.FromResult(HttpResponse.Text(404, "not found"));
        var callback = AuthorizationCallback.FromQuery(exchange.Request.Query);
        if (callback.Code is null && callback.Error is null)
        {
            return ValueTask.FromResult(Page(400, "Nothing to do here", "This address is where Google sends you back after you allow access."));
        }

        if (!pkce.StateMatches(callback.State))
        {
            prompt.WriteLine("Ignored an answer that does not belong to this login (its state does not match); still waiting.");
            prompt.Flush();
            return ValueTask.FromResult(Page(400, "This answer does not belong to this login",
                "Its state parameter does not match the login q2google is waiting for. Start again from the URL q2google printed."));
        }

        _answer.TrySetResult(callback);
        return ValueTask.FromResult(callback.Error is null
            ? Page(200, "q2google is authorized", "You can close this tab and go back to the terminal.")
            : Page(200, "Access was not granted", $"Google said: {callback.Error}. You can close this tab; q2google has stopped waiting."));
    }

    private async Task ReadPastedAnswersAsync(CancellationToken cancellationToken)
    {
        while (!_answer.Task.IsCompleted && !cancellationToken.IsCancellationRequested)
        {
            string? line;
            try
            {
                // Console input has no cancellable read; a thread stays parked on it until the process ends.
                line = await Task.Run(input.ReadLine, CancellationToken.None).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
            {
                return;
            }

            if (line is null) return;
            if (_answer.Task.IsCompleted) return;
            var pasted = AuthorizationCallback.FromPaste(line);
            if (pasted is null)
            {
                if (line.Trim().Length > 0) prompt.WriteLine("That is not the redirected address or a code; paste the whole address from the browser's address bar.");
            }
            else if (pasted.IsBareCode || pkce.StateMatches(pasted.State))
            {
                _answer.TrySetResult(pasted);
            }
            else
            {
                prompt.WriteLine("That address does not belong to this login (its state does not match); paste the one from this login.");
            }

            prompt.Flush();
        }
    }

    private static HttpResponse Page(int status, string title, string text) => HttpResponse.Html(status,
        $"<!doctype html><meta charset=utf-8><title>{WebUtility.HtmlEncode(title)}</title>" +
        $"<body style=\"font-family:sans-serif;margin:4em\"><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(text)}</p></body>");
}
