namespace Q2Google.Http;

/// <summary>Thrown by a handler to drop the connection with a TCP reset instead of answering.</summary>
internal sealed class AbortConnectionException() : Exception("connection reset on purpose");
