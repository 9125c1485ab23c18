using System.Text.Json;

namespace Q2Google.Emulator;

/// <summary>Saves the emulator's state to <c>state.json</c> at most twice a second, and once more on shutdown.</summary>
internal sealed class EmulatorPersistence(string directory)
{
    private readonly string _path = Path.Combine(directory, "state.json");
    private readonly SemaphoreSlim _saving = new(1, 1);
    private int _scheduled;

    public async Task<EmulatorSnapshot?> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(_path)) return null;
        await using var stream = File.OpenRead(_path);
        return await JsonSerializer.DeserializeAsync(stream, EmulatorJsonContext.Default.EmulatorSnapshot, cancellationToken).ConfigureAwait(false);
    }

    public void MarkDirty(Func<EmulatorSnapshot> snapshot)
    {
        if (Interlocked.Exchange(ref _scheduled, 1) == 1) return;
        _ = Task.Run(async () =>
        {
            await Task.Delay(500).ConfigureAwait(false);
            Interlocked.Exchange(ref _scheduled, 0);
            await FlushAsync(snapshot).ConfigureAwait(false);
        });
    }

    public async Task FlushAsync(Func<EmulatorSnapshot> snapshot)
    {
        await _saving.WaitAsync().ConfigureAwait(false);
        try
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(snapshot(), EmulatorJsonContext.Default.EmulatorSnapshot);
            await IO.AtomicFile.WriteAsync(_path, bytes).ConfigureAwait(false);
        }
        finally
        {
            _saving.Release();
        }
    }
}
