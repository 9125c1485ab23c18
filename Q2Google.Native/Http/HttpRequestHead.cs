using System.Text;

namespace Q2Google.Http;

/// <summary>A parsed HTTP/1.1 request line and header block. Header names are case-insensitive.</summary>
internal sealed class HttpRequestHead
{
    private readonly Dictionary<string, List<string>> _headers = new(StringComparer.OrdinalIgnoreCase);

    private HttpRequestHead(string method, string target, string version)
    {
        Method = method;
        Target = target;
        Version = version;
        var question = target.IndexOf('?', StringComparison.Ordinal);
        Path = Uri.UnescapeDataString(question < 0 ? target : target[..question]);
        QueryString = question < 0 ? "" : target[(question + 1)..];
        Query = ParseQuery(QueryString);
    }

    public string Method { get; }

    /// <summary>The raw request target: path plus query string.</summary>
    public string Target { get; }

    public string Version { get; }
    public string Path { get; }
    public string QueryString { get; }

    /// <summary>Query parameters, decoded; repeated names keep every value in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Query { get; }

    public IEnumerable<KeyValuePair<string, List<string>>> Headers => _headers;

    public string? Header(string name) => _headers.TryGetValue(name, out var values) ? values[0] : null;

    public bool HasHeader(string name) => _headers.ContainsKey(name);

    public string? QueryValue(string name) => Query.FirstOrDefault(p => p.Key == name).Value;

    public IEnumerable<string> QueryValues(string name) => Query.Where(p => p.Key == name).Select(p => p.Value);

    /// <summary>Parses a header block (request line first); null when it is not HTTP/1.x.</summary>
    public static HttpRequestHead? Parse(string head)
    {
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal)) return null;
        var request = new HttpRequestHead(requestLine[0], requestLine[1], requestLine[2]);
        for (var i = 1; i < lines.Length; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) return null;
            var name = lines[i][..colon].Trim();
            var value = lines[i][(colon + 1)..].Trim();
            if (!request._headers.TryGetValue(name, out var values)) request._headers[name] = values = [];
            values.Add(value);
        }

        return request;
    }

    public static List<KeyValuePair<string, string>> ParseQuery(string query)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            pairs.Add(new(Decode(key), Decode(value)));
        }

        return pairs;
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    public override string ToString()
    {
        var builder = new StringBuilder().Append(Method).Append(' ').Append(Path);
        return builder.ToString();
    }
}
