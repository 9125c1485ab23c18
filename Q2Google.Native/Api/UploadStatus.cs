namespace Q2Google.Api;

/// <summary>The <c>X-Goog-Upload-Status</c> of a resumable session (docs/protocol.md#session-states).</summary>
public enum UploadStatus
{
    /// <summary>The header was missing or held a value we do not know.</summary>
    Unknown,
    Active,
    Final,
    Cancelled,
}
