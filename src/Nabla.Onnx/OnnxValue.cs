using System.Globalization;
using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx;

/// <summary>One input or output of an ONNX graph: its name, element type ("float", "double", "int64", "string"…) and shape, a null dimension symbolic.</summary>
/// <param name="Name">The value's name.</param>
/// <param name="ElementType">The element type, lower-case as ONNX names it.</param>
/// <param name="Shape">The dimensions; null for a symbolic one (the batch).</param>
public sealed record OnnxValue(string Name, string ElementType, IReadOnlyList<long?> Shape)
{
    /// <summary>The value as "name: float[N, 1]".</summary>
    public override string ToString() =>
        $"{Name}: {ElementType}[{string.Join(", ", Shape.Select(d => d is { } size ? size.ToString(CultureInfo.InvariantCulture) : "N"))}]";

    /// <summary>The value a graph declares.</summary>
    internal static OnnxValue Of(ValueInfoProto info)
    {
        var tensor = info.Type?.TensorType;
        var type = tensor is null ? "unknown" : ((TensorProto.Types.DataType)tensor.ElemType).ToString().ToLowerInvariant();
        IReadOnlyList<long?> shape = tensor?.Shape is null ? [] : [.. tensor.Shape.Dim.Select(d => d.HasDimValue ? d.DimValue : (long?)null)];
        return new OnnxValue(info.Name, type, shape);
    }
}
