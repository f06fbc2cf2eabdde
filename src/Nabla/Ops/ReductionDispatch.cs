using System.Numerics;
using Nabla.Kernels;

namespace Nabla;

/// <summary>
/// The tensor side of the reduction kernels (<see cref="Reduction"/>): the result's shape, the element
/// type, and the errors for reducing nothing with max or min. Not recorded; the ops record around it.
/// </summary>
internal static class ReductionDispatch
{
    /// <summary>The <paramref name="kind"/> of <paramref name="x"/> over all elements (<paramref name="axis"/> null) or one normalised axis.</summary>
    /// <exception cref="ArgumentException">Max or min of no elements: the tensor, or the axis, is empty.</exception>
    public static Tensor Reduce(Tensor x, int? axis, bool keepDims, ReductionKind kind)
    {
        var shape = Shapes.Reduced(x.ShapeArray, axis, keepDims);
        var y = Tensor.Empty(shape, x.DType);
        if (x.DType == DType.Float32) Reduce(x.Float32Data, x.ShapeArray, axis, y.Float32Data, kind);
        else Reduce(x.Float64Data, x.ShapeArray, axis, y.Float64Data, kind);
        return y;
    }

    private static void Reduce<T>(T[] x, int[] shape, int? axis, T[] y, ReductionKind kind)
        where T : unmanaged, INumber<T>, IRootFunctions<T>
    {
        if (axis is null)
        {
            if (x.Length == 0 && kind != ReductionKind.Sum)
                throw new ArgumentException($"{kind}: cannot reduce an empty tensor of shape {Shapes.Format(shape)} (there is no identity for {kind}).");
            y[0] = Reduction.ReduceAll(x, kind);
            return;
        }
        var (outer, length, inner) = Shapes.AroundAxis(shape, axis.Value);
        if (length == 0 && kind != ReductionKind.Sum && y.Length > 0)
            throw new ArgumentException($"{kind}: cannot reduce axis {axis} of size 0 (shape {Shapes.Format(shape)}).");
        Reduction.Reduce(x, outer, length, inner, y, kind);
    }
}
