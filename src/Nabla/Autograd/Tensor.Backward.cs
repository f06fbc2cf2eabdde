namespace Nabla;

public sealed partial class Tensor
{
    /// <summary>
    /// Back-propagates from this scalar: adds d(this)/d(leaf) to the <see cref="Grad"/> of every
    /// leaf that requires gradients. The graph is freed afterwards unless <paramref name="retainGraph"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">This tensor is not a scalar, or does not require gradients.</exception>
    public void Backward(bool retainGraph = false, bool createGraph = false) => Backward(null, retainGraph, createGraph);

    /// <summary>
    /// Back-propagates <paramref name="gradOutput"/> (shaped like this tensor; ones for a scalar when null),
    /// accumulating the vector-Jacobian product into the leaves' <see cref="Grad"/>.
    /// </summary>
    /// <exception cref="ShapeMismatchException">The gradient's shape differs from this tensor's.</exception>
    public void Backward(Tensor? gradOutput, bool retainGraph = false, bool createGraph = false)
    {
        var seeds = Autograd.SeedGradients([this], gradOutput is null ? null : [gradOutput], nameof(Backward));
        BackwardEngine.Run([this], seeds, retainGraph || createGraph, createGraph, captureFor: null);
    }

    /// <summary>A copy with its own storage, recorded in the graph (the gradient passes straight through).</summary>
    public Tensor Clone()
    {
        var copy = new Tensor((Array)Storage.Clone(), _shape, DType);
        return Graph.Record(nameof(Clone), [this], copy, static (g, _) => [g]);
    }
}
