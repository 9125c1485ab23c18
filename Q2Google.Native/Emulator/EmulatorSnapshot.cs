namespace Q2Google.Emulator;

/// <summary>What <c>--data-dir</c> keeps between runs (sessions are not kept: a restart expires them, as a 404).</summary>
internal sealed record EmulatorSnapshot
{
    public List<EmulatedClient> Clients { get; init; } = [];
    public List<EmulatedGrant> Grants { get; init; } = [];
    public List<EmulatedMediaItem> MediaItems { get; init; } = [];
    public List<EmulatedAlbum> Albums { get; init; } = [];
}
