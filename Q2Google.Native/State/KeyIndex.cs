using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Q2Google.State;

/// <summary>
/// A sorted table on disk from a 16-byte key (a content hash, a quick fingerprint) to a record number, with every
/// <see cref="Stride"/>th key kept in memory: a lookup is one binary search in memory and one read of at most
/// <see cref="Stride"/> entries. Memory: 16 bytes per <see cref="Stride"/> keys (125 KB for a million).
/// </summary>
internal sealed class KeyIndex
{
    public const int Stride = 128;
    public const int EntryBytes = 16 + 4;

    private readonly SafeFileHandle _file;
    private readonly long _offset;
    private readonly int _count;
    private readonly UInt128[] _sparse;

    private KeyIndex(SafeFileHandle file, long offset, int count, UInt128[] sparse)
    {
        _file = file;
        _offset = offset;
        _count = count;
        _sparse = sparse;
    }

    public static UInt128 Key(ReadOnlySpan<byte> bytes) => BinaryPrimitives.ReadUInt128BigEndian(bytes);

    /// <summary>Writes <paramref name="count"/> entries sorted by key, then the sparse keys; returns where the sparse keys start.</summary>
    public static long Write(Stream output, UInt128[] keys, int[] values, int count)
    {
        Array.Sort(keys, values, 0, count);
        Span<byte> entry = stackalloc byte[EntryBytes];
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteUInt128BigEndian(entry, keys[i]);
            BinaryPrimitives.WriteInt32LittleEndian(entry[16..], values[i]);
            output.Write(entry);
        }

        var sparseAt = output.Position;
        for (var i = 0; i < count; i += Stride)
        {
            BinaryPrimitives.WriteUInt128BigEndian(entry, keys[i]);
            output.Write(entry[..16]);
        }

        return sparseAt;
    }

    public static KeyIndex Load(SafeFileHandle file, long offset, int count, long sparseOffset)
    {
        var sparse = new UInt128[(count + Stride - 1) / Stride];
        var bytes = new byte[sparse.Length * 16];
        if (RandomAccess.Read(file, bytes, sparseOffset) != bytes.Length) throw new IndexDamagedException("the index ends inside a key table");
        for (var i = 0; i < sparse.Length; i++) sparse[i] = BinaryPrimitives.ReadUInt128BigEndian(bytes.AsSpan(i * 16));
        return new KeyIndex(file, offset, count, sparse);
    }

    /// <summary>The record number for the key, or -1.</summary>
    public int Find(UInt128 key)
    {
        var chunk = Array.BinarySearch(_sparse, key);
        if (chunk < 0) chunk = ~chunk - 1;
        if (chunk < 0) return -1;
        var first = chunk * Stride;
        var entries = Math.Min(Stride, _count - first);
        Span<byte> bytes = stackalloc byte[Stride * EntryBytes];
        bytes = bytes[..(entries * EntryBytes)];
        if (RandomAccess.Read(_file, bytes, _offset + (long)first * EntryBytes) != bytes.Length) throw new IndexDamagedException("the index ends inside a key table");
        int low = 0, high = entries - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var found = BinaryPrimitives.ReadUInt128BigEndian(bytes[(middle * EntryBytes)..]);
            if (found == key) return BinaryPrimitives.ReadInt32LittleEndian(bytes[(middle * EntryBytes + 16)..]);
            if (found < key) low = middle + 1;
            else high = middle - 1;
        }

        return -1;
    }
}
