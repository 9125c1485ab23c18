using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Q2Google.Tests.Infrastructure;

/// <summary>One answer read off a raw connection, and whether the server then closed it.</summary>
internal sealed record RawHttpAnswer(int Status, string Head, string Body, bool ClosedByServer);

/// <summary>
/// Bytes on a bare TCP connection, for requests no well-behaved HTTP client will send (broken chunked
/// framing, odd transfer codings), and for seeing exactly what the server answers and whether it hangs up.
/// </summary>
internal static class RawHttp
{
    public static async Task<RawHttpAnswer> SendAsync(Uri server, string head, byte[]? body = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ReplaceLineEndings("\r\n").TrimEnd('\r', '\n') + "\r\n\r\n"));
        if (body is not null) await stream.WriteAsync(body);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = new List<byte>();
        var buffer = new byte[8192];
        int headEnd;
        while ((headEnd = IndexOfHeadEnd(received)) < 0)
        {
            var n = await stream.ReadAsync(buffer, timeout.Token);
            if (n == 0) throw new EndOfStreamException("the server closed the connection without answering");
            received.AddRange(buffer.AsSpan(0, n));
        }

        var responseHead = Encoding.ASCII.GetString(received.GetRange(0, headEnd).ToArray());
        var lengthLine = responseHead.Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var length = int.Parse(lengthLine["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
        while (received.Count < headEnd + 4 + length)
        {
            var n = await stream.ReadAsync(buffer, timeout.Token);
            if (n == 0) throw new EndOfStreamException("the server closed the connection inside its answer");
            received.AddRange(buffer.AsSpan(0, n));
        }

        var responseBody = Encoding.UTF8.GetString(received.GetRange(headEnd + 4, length).ToArray());
        var status = int.Parse(responseHead.Split(' ')[1], CultureInfo.InvariantCulture);
        bool closed;
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(3)))
        {
            try
            {
                closed = await stream.ReadAsync(buffer, wait.Token) == 0;
            }
            catch (OperationCanceledException)
            {
                closed = false;
            }
            catch (IOException)
            {
                closed = true;
            }
        }

        return new RawHttpAnswer(status, responseHead, responseBody, closed);
    }

    private static int IndexOfHeadEnd(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') return i;
        }

        return -1;
    }
}
