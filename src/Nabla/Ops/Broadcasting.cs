using Nabla.Kernels;

namespace Nabla;

// Expanding a tensor to a broadcast shape and summing a gradient back to the shape it came from:
// each is the other's derivative.
public sealed partial class Tensor
{
    /// <summary>A copy expanded to <paramref name="shape"/> by NumPy broadcasting, as <c>torch.broadcast_to</c>.</summary>
    /// <remarks>Derivative: the gradient summed back over the expanded dimensions.</remarks>
    /// <exception cref="ShapeMismatchException">This shape does not broadcast to <paramref name="shape"/>.</exception>
    public Tensor BroadcastTo(params int[] shape)
    {
        var target = Shapes.Validate(shape, nameof(BroadcastTo));
        if (!Shapes.BroadcastsTo(_shape, target))
            throw new ShapeMismatchException($"BroadcastTo: shape {Shapes.Format(_shape)} cannot be broadcast to {Shapes.Format(target)}.");
        if (Shapes.SameShape(_shape, target)) return this;
        var y = ElementwiseDispatch.BroadcastTo(this, target);
        return Graph.Record(nameof(BroadcastTo), [this], y, static (g, n) => [g.SumTo(n.Inputs[0]._shape)]);
    }

    /// <summary>
    /// Sums this tensor over the dimensions that broadcasting added or expanded, so it takes
    /// <paramref name="shape"/> (the reverse of <see cref="BroadcastTo"/>).
    /// </summary>
    internal Tensor SumTo(int[] shape)
    {
        if (Shapes.SameShape(_shape, shape)) return this;
        if (!Shapes.BroadcastsTo(shape, _shape))
            throw new ShapeMismatchException($"SumTo: shape {Shapes.Format(_shape)} cannot be reduced to {Shapes.Format(shape)}.");
        var y = this;
        using (Autograd.NoGrad())
        {
            int lead = Rank - shape.Length;
            if (lead > 0) y = ReductionDispatch.Reduce(y.Reshape([-1, .. _shape[lead..]]), 0, false, ReductionKind.Sum);
            for (int d = 0; d < shape.Length; d++)
                if (shape[d] == 1 && y._shape[d] != 1) y = ReductionDispatch.Reduce(y, d, true, ReductionKind.Sum);
            y = y.Reshape(shape);
        }
        return Graph.Record(nameof(SumTo), [this], y, static (g, n) => [g.BroadcastTo(n.Inputs[0]._shape)]);
    }
}
