namespace Nabla;

// Softmax and log-softmax along an axis, both shifted by the maximum so logits of ±1000 stay finite.
public sealed partial class Tensor
{
    /// <summary>
    /// e^(xᵢ)/Σⱼ e^(xⱼ) along <paramref name="axis"/>. Derivative: y ⊙ (g − Σ g⊙y), from the saved output.
    /// </summary>
    public Tensor Softmax(int axis = -1)
    {
        RequireFloatingPoint(nameof(Softmax));
        int d = Shapes.NormalizeAxis(axis, Rank, nameof(Softmax));
        Tensor y;
        using (Autograd.NoGrad())
        {
            var e = (this - Max(d, keepDims: true)).Exp();
            y = e / e.Sum(d, keepDims: true);
        }
        return Graph.Record(nameof(Softmax), [this], y, static (g, n, axis) =>
        {
            var y = n.Output!;
            return [y * (g - (g * y).Sum(axis, keepDims: true))];
        }, d);
    }

    /// <summary>
    /// log softmax along <paramref name="axis"/>: x − max − log Σ e^(x − max). Derivative:
    /// g − softmax(x) ⊙ Σ g, with softmax taken as e^y from the saved output.
    /// </summary>
    public Tensor LogSoftmax(int axis = -1)
    {
        RequireFloatingPoint(nameof(LogSoftmax));
        int d = Shapes.NormalizeAxis(axis, Rank, nameof(LogSoftmax));
        Tensor y;
        using (Autograd.NoGrad())
        {
            var shifted = this - Max(d, keepDims: true);
            y = shifted - shifted.Exp().Sum(d, keepDims: true).Log();
        }
        return Graph.Record(nameof(LogSoftmax), [this], y, static (g, n, axis) =>
            [g - n.Output!.Exp() * g.Sum(axis, keepDims: true)], d);
    }
}
