using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Q2Google.Http;

/// <summary>
/// A small, strict HTTP/1.1 server for the emulator and the login listener. It was written instead of
/// taking Kestrel because it costs a few hundred KB of binary instead of several MB, and because a fake
/// Google has to misbehave on purpose (reset a connection mid-body, send lower-case header names), which a
/// full server hides. Bodies are framed by <c>Content-Length</c> or <c>Transfer-Encoding: chunked</c>, both of
/// which Google's front ends accept; whether a route insists on a length is the handler's business.
/// </summary>
internal sealed class HttpServer : IAsyncDisposable
{
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;

    private readonly Socket _listener;
    private readonly Func<HttpExchange, CancellationToken, ValueTask<HttpResponse>> _handler;
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _idle = new();
    private readonly List<Task> _connections = [];
    private Task? _acceptLoop;

    public HttpServer(IPEndPoint endPoint, Func<HttpExchange, CancellationToken, ValueTask<HttpResponse>> handler,
        X509Certificate2? certificate = null)
    {
        _handler = handler;
        _certificate = certificate;
        _listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // SO_REUSEADDR alone, so a port in TIME_WAIT from a previous run can be taken again with --port. Not .NET's
        // ReuseAddress option: on Linux it also sets SO_REUSEPORT, which lets a second server share the port (the
        // kernel then splits connections between the two) and another process listen in on a login's redirect.
        _listener.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
        _listener.Bind(endPoint);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
    }

    public IPEndPoint EndPoint { get; }

    public string Scheme => _certificate is null ? "http" : "https";

    /// <summary>Host name used in URLs this server hands out (session URLs, redirects).</summary>
    public string HostName { get; init; } = "127.0.0.1";

    public Uri BaseUrl => new($"{Scheme}://{HostName}:{EndPoint.Port}/");

    public void Start()
    {
        _listener.Listen(512);
        _acceptLoop = AcceptLoopAsync();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_idle.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_idle.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_idle.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            socket.NoDelay = true;
            var connection = Task.Run(() => ServeConnectionAsync(socket));
            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(connection);
            }
        }
    }

    private async Task ServeConnectionAsync(Socket socket)
    {
        var token = _stopping.Token;
        Stream stream = new NetworkStream(socket, ownsSocket: false);
        var reset = false;
        try
        {
            if (_certificate is not null)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, token).ConfigureAwait(false);
                stream = ssl;
            }

            var connection = new BufferedConnection(stream);
            while (!token.IsCancellationRequested)
            {
                // Waiting for the next request ends as soon as the server stops; a request in flight gets to finish.
                using var waiting = CancellationTokenSource.CreateLinkedTokenSource(token, _idle.Token);
                var headText = await connection.ReadHeadAsync(waiting.Token).ConfigureAwait(false);
                if (headText is null) return;
                var head = HttpRequestHead.Parse(headText);
                if (head is null)
                {
                    await WriteAsync(stream, HttpResponse.Text(400, "malformed request"), close: true, token).ConfigureAwait(false);
                    return;
                }

                if (Framing(head) is { } refusal)
                {
                    await WriteAsync(stream, refusal, close: true, token).ConfigureAwait(false);
                    return;
                }

                if (head.Header("Expect")?.Equals("100-continue", StringComparison.OrdinalIgnoreCase) == true)
                {
                    await stream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), token).ConfigureAwait(false);
                }

                var body = new RequestBody(connection, head.HasHeader("Transfer-Encoding") ? null : DeclaredLength(head));
                var exchange = new HttpExchange(head, body, Scheme, $"{HostName}:{EndPoint.Port}");
                HttpResponse response;
                try
                {
                    response = await _handler(exchange, token).ConfigureAwait(false);
                    // Answering before the body is consumed makes the kernel reset the connection under the client's
                    // feet; reading the rest first keeps the answer deliverable.
                    await body.DrainAsync(token).ConfigureAwait(false);
                }
                catch (AbortConnectionException)
                {
                    reset = true;
                    return;
                }
                catch (MalformedRequestException e)
                {
                    // Nobody can tell where the next request would start: answer, then close.
                    await WriteAsync(stream, HttpResponse.Text(400, "malformed request body: " + e.Message), close: true, token).ConfigureAwait(false);
                    return;
                }

                var close = response.CloseConnection || head.Header("Connection")?.Equals("close", StringComparison.OrdinalIgnoreCase) == true;
                await WriteAsync(stream, response, close, token).ConfigureAwait(false);
                if (close) return;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or EndOfStreamException
                                       or InvalidDataException or System.Security.Authentication.AuthenticationException)
        {
            // The client went away (or never spoke TLS); nothing to answer.
        }
        finally
        {
            if (reset)
            {
                // SO_LINGER with a zero timeout turns close() into a TCP RST: a "connection reset by peer".
                socket.LingerState = new LingerOption(true, 0);
            }
            else
            {
                try { await stream.DisposeAsync().ConfigureAwait(false); } catch (IOException) { }
            }

            socket.Dispose();
        }
    }

    /// <summary>
    /// Why the body's framing is refused (RFC 9112 section 6), or null. <c>chunked</c> is the one transfer coding
    /// understood; a request with both a transfer coding and a length is refused, as a smuggling attempt would look.
    /// </summary>
    private static HttpResponse? Framing(HttpRequestHead head)
    {
        var lengths = head.Headers.Where(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value).SelectMany(v => v.Split(',')).Select(v => v.Trim()).Distinct().ToList();
        if (lengths.Count > 1 || (lengths.Count == 1 && !long.TryParse(lengths[0], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            return HttpResponse.Text(400, "bad Content-Length");
        }

        if (!head.HasHeader("Transfer-Encoding")) return null;
        if (lengths.Count > 0) return HttpResponse.Text(400, "Transfer-Encoding and Content-Length together");
        if (head.Version == "HTTP/1.0") return HttpResponse.Text(400, "Transfer-Encoding in an HTTP/1.0 request");
        var codings = head.Headers.Where(h => h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value).SelectMany(v => v.Split(',')).Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
        return codings is [var only] && only.Equals("chunked", StringComparison.OrdinalIgnoreCase)
            ? null
            : HttpResponse.Text(501, "Transfer-Encoding other than chunked is not implemented");
    }

    private static long DeclaredLength(HttpRequestHead head) =>
        head.Header("Content-Length") is { } text ? long.Parse(text.Split(',')[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture) : 0;

    private static async Task WriteAsync(Stream stream, HttpResponse response, bool close, CancellationToken token)
    {
        var head = new StringBuilder();
        head.Append("HTTP/1.1 ").Append(response.Status.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(HttpResponse.ReasonPhrase(response.Status)).Append("\r\n");
        var hasDate = false;
        foreach (var (name, value) in response.Headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
            hasDate |= name.Equals("Date", StringComparison.OrdinalIgnoreCase);
        }

        if (!hasDate) head.Append("Date: ").Append(DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture)).Append("\r\n");
        if (response.ContentType is not null) head.Append("Content-Type: ").Append(response.ContentType).Append("\r\n");
        head.Append("Content-Length: ").Append(response.Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        if (close) head.Append("Connection: close\r\n");
        head.Append("\r\n");
        var bytes = Encoding.ASCII.GetBytes(head.ToString());
        await stream.WriteAsync(bytes, token).ConfigureAwait(false);
        if (response.Body.Length > 0) await stream.WriteAsync(response.Body, token).ConfigureAwait(false);
        await stream.FlushAsync(token).ConfigureAwait(false);
    }

    /// <summary>Stops accepting, lets requests in flight finish their answer (briefly), then drops the rest.</summary>
    public async ValueTask DisposeAsync()
    {
        await _idle.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        if (_acceptLoop is not null) await _acceptLoop.ConfigureAwait(false);

        Task[] connections;
        lock (_connections) connections = [.. _connections];
        var all = Task.WhenAll(connections);
        if (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false) != all)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        await all.ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _idle.Dispose();
    }
}
