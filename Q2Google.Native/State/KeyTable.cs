namespace Q2Google.State;

/// <summary>
/// The (key, record number) pairs a <see cref="StateIndexWriter"/> gathers for a <see cref="KeyIndex"/>, sorted
/// when the index is finished. A journal keeps one for all its compactions: a million-file index needs 20 MB
/// of them, and a new array each time would leave the large-object heap littered with the old ones.
/// </summary>
internal sealed class KeyTable
{
    private UInt128[] _keys = new UInt128[1024];
    private int[] _records = new int[1024];

    public int Count { get; private set; }

    public void Clear() => Count = 0;

    public void Add(UInt128 key, int record)
    {
        if (Count == _keys.Length)
        {
            Array.Resize(ref _keys, _keys.Length * 2);
            Array.Resize(ref _records, _records.Length * 2);
        }

        _keys[Count] = key;
        _records[Count++] = record;
    }

    /// <summary>Writes the pairs sorted (see <see cref="KeyIndex.Write"/>); returns where the sparse keys start.</summary>
    public long Write(Stream output) => KeyIndex.Write(output, _keys, _records, Count);
}
