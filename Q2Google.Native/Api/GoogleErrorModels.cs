using System.Text.Json;

namespace Q2Google.Api;

/// <summary>
/// Google's standard error body: <c>{"error":{"code":403,"message":"…","status":"PERMISSION_DENIED"}}</c>.
/// The upload endpoint sometimes answers with the bare gRPC shape <c>{"code":16,"message":"…"}</c> instead,
/// so the top-level <see cref="Code"/> and <see cref="Message"/> exist too (docs/protocol.md#error-bodies).
/// </summary>
internal sealed record GoogleErrorResponse
{
    public GoogleError? Error { get; init; }
    public int? Code { get; init; }
    public string? Message { get; init; }
}

internal sealed record GoogleError
{
    public int Code { get; init; }
    public string? Message { get; init; }
    public string? Status { get; init; }
    public JsonElement? Details { get; init; }
}
