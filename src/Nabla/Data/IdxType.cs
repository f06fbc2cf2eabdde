using System.Buffers.Binary;

namespace Nabla.Data;

/// <summary>An IDX element type: its code in the magic number, its size in bytes, and how to decode one big-endian value.</summary>
internal sealed class IdxType
{
    private static readonly IdxType[] Types =
    [
        new(0x08, 1, b => b[0]),
        new(0x09, 1, b => (sbyte)b[0]),
        new(0x0B, 2, b => BinaryPrimitives.ReadInt16BigEndian(b)),
        new(0x0C, 4, b => BinaryPrimitives.ReadInt32BigEndian(b)),
        new(0x0D, 4, b => BinaryPrimitives.ReadSingleBigEndian(b)),
        new(0x0E, 8, b => BinaryPrimitives.ReadDoubleBigEndian(b)),
    ];

    private readonly Decoder _decode;

    private delegate double Decoder(ReadOnlySpan<byte> bytes);

    private IdxType(byte code, int size, Decoder decode)
    {
        Code = code;
        Size = size;
        _decode = decode;
    }

    /// <summary>The type code, the third byte of the magic number.</summary>
    public byte Code { get; }

    /// <summary>The size of one value in bytes.</summary>
    public int Size { get; }

    /// <summary>The type with <paramref name="code"/>, or null when IDX defines none.</summary>
    public static IdxType? FromCode(byte code) => Array.Find(Types, t => t.Code == code);

    /// <summary>Decodes one value from its <see cref="Size"/> big-endian bytes.</summary>
    public double Decode(ReadOnlySpan<byte> bytes) => _decode(bytes);
}
