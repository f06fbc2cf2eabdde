using Nabla.Kernels;

namespace Nabla;

// Sums, means, extrema and variance over the whole tensor or one axis.
public sealed partial class Tensor
{
    /// <summary>Sum of all elements (<paramref name="axis"/> null) or along one axis. Derivative: the gradient broadcast back.</summary>
    public Tensor Sum(int? axis = null, bool keepDims = false)
    {
        RequireFloatingPoint(nameof(Sum));
        int? d = axis is null ? null : Shapes.NormalizeAxis(axis.Value, Rank, nameof(Sum));
        var y = ReductionDispatch.Reduce(this, d, keepDims, ReductionKind.Sum);
        return Graph.Record(nameof(Sum), [this], y, static (g, n, axis) =>
            [g.Reshape(Shapes.Reduced(n.Inputs[0]._shape, axis, keepDims: true)).BroadcastTo(n.Inputs[0]._shape)], d);
    }

    /// <summary>Mean of all elements or along one axis (NaN for an empty reduction, as PyTorch).</summary>
    public Tensor Mean(int? axis = null, bool keepDims = false)
    {
        RequireFloatingPoint(nameof(Mean));
        int count = axis is null ? Length : _shape[Shapes.NormalizeAxis(axis.Value, Rank, nameof(Mean))];
        return Sum(axis, keepDims) / count;
    }

    /// <summary>
    /// Largest element overall or along one axis. Derivative: the gradient shared equally among
    /// the elements equal to the maximum (as <c>torch.amax</c>).
    /// </summary>
    public Tensor Max(int? axis = null, bool keepDims = false) => Extremum(axis, keepDims, ReductionKind.Max, nameof(Max));

    /// <summary>Smallest element overall or along one axis; gradient as for <see cref="Max"/>.</summary>
    public Tensor Min(int? axis = null, bool keepDims = false) => Extremum(axis, keepDims, ReductionKind.Min, nameof(Min));

    private Tensor Extremum(int? axis, bool keepDims, ReductionKind kind, string op)
    {
        RequireFloatingPoint(op);
        int? d = axis is null ? null : Shapes.NormalizeAxis(axis.Value, Rank, op);
        var y = ReductionDispatch.Reduce(this, d, keepDims, kind);
        return Graph.Record(op, [this], y, static (g, n, axis) =>
        {
            var x = n.Inputs[0];
            var kept = Shapes.Reduced(x._shape, axis, keepDims: true);
            Tensor share;
            using (Autograd.NoGrad())
            {
                var mask = MaskDispatch.Equal(x, n.Output!.Detach().Reshape(kept));
                share = mask / mask.Sum(axis, keepDims: true);
            }
            return [g.Reshape(kept).BroadcastTo(x._shape) * share];
        }, d);
    }

    /// <summary>
    /// Variance overall or along one axis: Σ(x − mean)²/(N − correction); correction 1 (the
    /// default, as PyTorch) gives the unbiased estimate, 0 the population variance.
    /// </summary>
    public Tensor Var(int? axis = null, bool keepDims = false, int correction = 1)
    {
        RequireFloatingPoint(nameof(Var));
        int count = axis is null ? Length : _shape[Shapes.NormalizeAxis(axis.Value, Rank, nameof(Var))];
        var centered = this - Mean(axis, keepDims: true);
        return (centered * centered).Sum(axis, keepDims) / Math.Max(0, count - correction);
    }
}
