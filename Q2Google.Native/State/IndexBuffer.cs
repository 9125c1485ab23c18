using System.Buffers.Binary;
using System.Text;

namespace Q2Google.State;

/// <summary>
/// A growing byte buffer with the few encodings the index uses: little-endian integers, LEB128 varints and
/// length-prefixed UTF-8 strings. Reused for every record and block a writer makes, so writing allocates nothing per record.
/// </summary>
internal sealed class IndexBuffer
{
    private byte[] _bytes;

    public IndexBuffer(int capacity = 4096) => _bytes = new byte[capacity];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, Length);

    public void Clear() => Length = 0;

    public Span<byte> Take(int count)
    {
        if (Length + count > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + count));
        var span = _bytes.AsSpan(Length, count);
        Length += count;
        return span;
    }

    public void Bytes(ReadOnlySpan<byte> value) => value.CopyTo(Take(value.Length));

    public void Byte(byte value) => Take(1)[0] = value;

    public void UInt16(int value) => BinaryPrimitives.WriteUInt16LittleEndian(Take(2), checked((ushort)value));

    public void Int32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Take(4), value);

    public void Int64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Take(8), value);

    /// <summary>Writes a little-endian int32 at an earlier position (a length or an offset known only later).</summary>
    public void Int32At(int position, int value) => BinaryPrimitives.WriteInt32LittleEndian(_bytes.AsSpan(position, 4), value);

    public void VarInt(ulong value)
    {
        while (value >= 0x80)
        {
            Byte((byte)(value | 0x80));
            value >>= 7;
        }

        Byte((byte)value);
    }

    public void String(string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        VarInt((ulong)count);
        Encoding.UTF8.GetBytes(value, Take(count));
    }
}
