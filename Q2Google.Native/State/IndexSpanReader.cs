using System.Buffers.Binary;
using System.Text;

namespace Q2Google.State;

/// <summary>Reads what <see cref="IndexBuffer"/> wrote; a read past the end throws <see cref="IndexDamagedException"/>.</summary>
internal ref struct IndexSpanReader(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;

    public int Position { get; set; }

    public ReadOnlySpan<byte> Bytes(int count)
    {
        if (count < 0 || Position + count > _bytes.Length) throw new IndexDamagedException("a record runs past its block");
        var span = _bytes.Slice(Position, count);
        Position += count;
        return span;
    }

    public byte Byte() => Bytes(1)[0];

    public int UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2));

    public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Bytes(4));

    public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Bytes(8));

    public ulong VarInt()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Byte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }

        throw new IndexDamagedException("a number in a record is too long");
    }

    public int Length() => checked((int)VarInt());

    public string String() => Encoding.UTF8.GetString(Bytes(Length()));
}
