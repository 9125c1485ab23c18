namespace Q2Google.Emulator;

/// <summary>A resumable session's <c>X-Goog-Upload-Status</c>.</summary>
internal enum SessionStatus
{
    Active,
    Final,
    Cancelled,
}
