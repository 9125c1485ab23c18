namespace Q2Google.Http;

/// <summary>
/// The request's framing is broken (a bad chunk-size line, a missing CRLF after chunk data, a garbled
/// trailer): the server answers 400 and closes, since nobody can tell where the next request would start.
/// </summary>
internal sealed class MalformedRequestException(string message) : Exception(message);
