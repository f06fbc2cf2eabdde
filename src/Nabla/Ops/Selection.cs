using System.Numerics.Tensors;
using Nabla.Kernels;

namespace Nabla;

// Choosing between values elementwise: clamping, elementwise maximum and minimum, and Where.
public sealed partial class Tensor
{
    /// <summary>
    /// Limits every element to [min, max] (either bound may be null). Derivative: 1 where
    /// min ≤ x ≤ max, else 0 (as PyTorch, the bounds themselves pass the gradient).
    /// </summary>
    /// <exception cref="ArgumentException">Both bounds are null.</exception>
    public Tensor Clamp(double? min = null, double? max = null)
    {
        RequireFloatingPoint(nameof(Clamp));
        if (min is null && max is null) throw new ArgumentException("Clamp: give at least one of min and max.");
        var y = this;
        if (min is { } lo) y = ElementwiseDispatch.MapScalar(y, lo, TensorPrimitives.Max, TensorPrimitives.Max);
        if (max is { } hi) y = ElementwiseDispatch.MapScalar(y, hi, TensorPrimitives.Min, TensorPrimitives.Min);
        return Graph.Record(nameof(Clamp), [this], y, static (g, n, bounds) => [g * MaskDispatch.Between(n.Inputs[0], bounds.Lower, bounds.Upper)],
            (Lower: min ?? double.NegativeInfinity, Upper: max ?? double.PositiveInfinity));
    }

    /// <summary>
    /// Elementwise maximum with broadcasting. Derivative: to the larger input; split in half on ties,
    /// as PyTorch.
    /// </summary>
    public static Tensor Maximum(Tensor a, Tensor b) => Choose(a, b, nameof(Maximum), TensorPrimitives.Max, TensorPrimitives.Max, larger: true);

    /// <summary>Elementwise minimum with broadcasting; gradient as for <see cref="Maximum"/>, to the smaller.</summary>
    public static Tensor Minimum(Tensor a, Tensor b) => Choose(a, b, nameof(Minimum), TensorPrimitives.Min, TensorPrimitives.Min, larger: false);

    private static void Choose<T>(Tensor condition, T[] a, T[] b, T[] y)
    {
        for (int i = 0; i < y.Length; i++) y[i] = condition.GetFlat(i) != 0 ? a[i] : b[i];
    }

    private static Tensor Choose(Tensor a, Tensor b, string op, SpanZip<float> f32, SpanZip<double> f64, bool larger)
    {
        CheckFloat(a, b, op);
        var y = ElementwiseDispatch.Zip(a, b, op, f32, f64);
        return Graph.Record(op, [a, b], y, static (g, n, larger) =>
        {
            var (a, b) = (n.Inputs[0], n.Inputs[1]);
            Tensor toA;
            using (Autograd.NoGrad())
                toA = (larger ? MaskDispatch.Greater(a, b) : MaskDispatch.Greater(b, a)) + MaskDispatch.Equal(a, b) * 0.5;
            return [a.RequiresGrad ? (g * toA).SumTo(a._shape) : null, b.RequiresGrad ? (g * (1.0 - toA)).SumTo(b._shape) : null];
        }, larger);
    }

    /// <summary>
    /// Elementwise choice with broadcasting of all three: a where <paramref name="condition"/> is
    /// non-zero, else b. Derivative: the gradient goes to whichever input was chosen.
    /// </summary>
    /// <exception cref="ShapeMismatchException">The three shapes do not broadcast together.</exception>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(condition);
        CheckFloat(a, b, nameof(Where));
        ElementwiseDispatch.RequireSameType(a, b, nameof(Where));
        var shape = Shapes.Broadcast(Shapes.Broadcast(condition._shape, a._shape, nameof(Where)), b._shape, nameof(Where));
        var c = ElementwiseDispatch.BroadcastTo(condition, shape);
        var ea = ElementwiseDispatch.BroadcastTo(a, shape);
        var eb = ElementwiseDispatch.BroadcastTo(b, shape);
        var y = Empty(shape, a.DType);
        if (a.DType == DType.Float32) Choose(c, ea.Float32Data, eb.Float32Data, y.Float32Data);
        else Choose(c, ea.Float64Data, eb.Float64Data, y.Float64Data);
        return Graph.Record(nameof(Where), [a, b], y, static (g, n, condition) =>
        {
            var (a, b) = (n.Inputs[0], n.Inputs[1]);
            var zeros = ZerosLike(g);
            return [a.RequiresGrad ? Where(condition, g, zeros).SumTo(a._shape) : null, b.RequiresGrad ? Where(condition, zeros, g).SumTo(b._shape) : null];
        }, condition);
    }
}
