using System.Buffers.Binary;
using Google.Protobuf;
using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx;

/// <summary>
/// Converts between Nabla tensors and ONNX <see cref="TensorProto"/>s: Float32, Float64 and Int32 tensors
/// both ways (raw little-endian data, as PyTorch and ONNX Runtime write them, or the typed fields), and
/// Int64 initializers read into Int32 when every value fits.
/// </summary>
internal static class OnnxTensors
{
    /// <summary>The ONNX element type of a Nabla tensor type.</summary>
    public static TensorProto.Types.DataType ElementType(DType dtype) => dtype switch
    {
        DType.Float32 => TensorProto.Types.DataType.Float,
        DType.Float64 => TensorProto.Types.DataType.Double,
        DType.Int32 => TensorProto.Types.DataType.Int32,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "no ONNX element type"),
    };

    /// <summary>An initializer named <paramref name="name"/> holding <paramref name="tensor"/>'s values in its type and shape.</summary>
    public static TensorProto ToProto(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var proto = new TensorProto { Name = name, DataType = (int)ElementType(tensor.DType) };
        proto.Dims.AddRange(tensor.Shape.Select(d => (long)d));
        proto.RawData = tensor.DType switch
        {
            DType.Float32 => RawBytes<float>(tensor.ToArray<float>(), 4, (span, v) => BinaryPrimitives.WriteSingleLittleEndian(span, v)),
            DType.Float64 => RawBytes<double>(tensor.ToArray<double>(), 8, (span, v) => BinaryPrimitives.WriteDoubleLittleEndian(span, v)),
            _ => RawBytes<int>(tensor.ToArray<int>(), 4, (span, v) => BinaryPrimitives.WriteInt32LittleEndian(span, v)),
        };
        return proto;
    }

    /// <summary>An Int64 initializer (shapes, axes, token ids), rank 1.</summary>
    public static TensorProto Int64s(string name, IReadOnlyList<long> values)
    {
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        proto.Dims.Add(values.Count);
        proto.Int64Data.AddRange(values);
        return proto;
    }

    /// <summary>A string initializer (class names, categories), rank 1.</summary>
    public static TensorProto Strings(string name, IReadOnlyList<string> values)
    {
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.String };
        proto.Dims.Add(values.Count);
        proto.StringData.AddRange(values.Select(ByteString.CopyFromUtf8));
        return proto;
    }

    private static ByteString RawBytes<T>(T[] values, int size, Action<Span<byte>, T> write)
    {
        var bytes = new byte[checked(values.Length * size)];
        for (int i = 0; i < values.Length; i++) write(bytes.AsSpan(i * size, size), values[i]);
        return ByteString.CopyFrom(bytes);
    }

    /// <summary>
    /// The Nabla tensor a <see cref="TensorProto"/> holds: Float32, Float64 (kept), Int32, and Int64 read as Int32
    /// (ids, shapes); data stored in an external file is refused, as is any count of values that is not the product of the dims.
    /// </summary>
    /// <param name="proto">The tensor.</param>
    /// <param name="where">Names the tensor in errors, e.g. "initializer \"fc1.weight\"".</param>
    /// <exception cref="InvalidDataException">The type is not one of these, the data is external, a dimension is negative, the values do not fill the shape, or an Int64 does not fit in Int32.</exception>
    public static Tensor FromProto(TensorProto proto, string where)
    {
        ArgumentNullException.ThrowIfNull(proto);
        if (proto.DataLocation == TensorProto.Types.DataLocation.External || proto.ExternalData.Count > 0)
            throw new InvalidDataException($"{where}: its data is in an external file; Nabla reads only models whose weights are inside the .onnx file.");
        if (proto.Dims.Any(d => d < 0 || d > int.MaxValue)) throw new InvalidDataException($"{where}: a dimension is out of range: [{string.Join(", ", proto.Dims)}].");
        int[] shape = [.. proto.Dims.Select(d => (int)d)];
        long count = Count(proto, where);
        var type = (TensorProto.Types.DataType)proto.DataType;
        switch (type)
        {
            case TensorProto.Types.DataType.Float:
                return Tensor.FromArray(Values(proto, where, count, 4, proto.FloatData, BinaryPrimitives.ReadSingleLittleEndian), shape);
            case TensorProto.Types.DataType.Double:
                return Tensor.FromArray(Values(proto, where, count, 8, proto.DoubleData, BinaryPrimitives.ReadDoubleLittleEndian), shape);
            case TensorProto.Types.DataType.Int32:
                return Tensor.FromArray(Values(proto, where, count, 4, proto.Int32Data, BinaryPrimitives.ReadInt32LittleEndian), shape);
            case TensorProto.Types.DataType.Int64:
                var longs = Values(proto, where, count, 8, proto.Int64Data, BinaryPrimitives.ReadInt64LittleEndian);
                var ints = new int[longs.Length];
                for (int i = 0; i < longs.Length; i++)
                {
                    if (longs[i] is < int.MinValue or > int.MaxValue) throw new InvalidDataException($"{where}: the Int64 value {longs[i]} does not fit in Int32.");
                    ints[i] = (int)longs[i];
                }
                return Tensor.FromArray(ints, shape);
            default:
                throw new InvalidDataException($"{where}: element type {type} is not supported (Float, Double, Int32 and Int64 are).");
        }
    }

    /// <summary>The Int64 values of an initializer (shapes, axes, pads), whatever field holds them.</summary>
    /// <exception cref="InvalidDataException">The tensor is not Int64 or Int32, or its values do not fill its shape.</exception>
    public static long[] Int64Values(TensorProto proto, string where)
    {
        long count = Count(proto, where);
        return (TensorProto.Types.DataType)proto.DataType switch
        {
            TensorProto.Types.DataType.Int64 => Values(proto, where, count, 8, proto.Int64Data, BinaryPrimitives.ReadInt64LittleEndian),
            TensorProto.Types.DataType.Int32 => [.. Values(proto, where, count, 4, proto.Int32Data, BinaryPrimitives.ReadInt32LittleEndian).Select(v => (long)v)],
            var other => throw new InvalidDataException($"{where}: expected Int64 values, got {other}."),
        };
    }

    /// <summary>The number of values a tensor's dims hold, refused when a dim is negative or the count is more than one array holds (never overflowing on the way).</summary>
    private static long Count(TensorProto proto, string where)
    {
        if (proto.Dims.Any(d => d == 0)) return 0;
        long count = 1;
        foreach (long dim in proto.Dims)
        {
            if (dim < 0) throw new InvalidDataException($"{where}: a dimension is negative: [{string.Join(", ", proto.Dims)}].");
            if (dim > Array.MaxLength / count) throw new InvalidDataException($"{where}: its dimensions [{string.Join(", ", proto.Dims)}] hold more values than one tensor holds.");
            count *= dim;
        }
        return count;
    }

    private static T[] Values<T>(TensorProto proto, string where, long count, int size, IReadOnlyList<T> typed, ReadBytes<T> read)
    {
        if (!proto.RawData.IsEmpty)
        {
            var raw = proto.RawData.Span;
            if (raw.Length != count * size) throw new InvalidDataException($"{where}: {raw.Length} bytes of data for {count} values of {size} bytes.");
            var values = new T[count];
            for (int i = 0; i < values.Length; i++) values[i] = read(raw.Slice(i * size, size));
            return values;
        }
        if (typed.Count != count) throw new InvalidDataException($"{where}: {typed.Count} values for a shape of {count}.");
        return [.. typed];
    }

    private delegate T ReadBytes<T>(ReadOnlySpan<byte> bytes);
}
