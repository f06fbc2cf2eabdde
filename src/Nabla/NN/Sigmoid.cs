namespace Nabla.NN;

/// <summary>The logistic sigmoid 1/(1 + e^(−x)), elementwise, as <c>torch.nn.Sigmoid</c>.</summary>
public sealed class Sigmoid : Module
{
    /// <summary>σ(x) for every element; the output has the input's shape.</summary>
    public override Tensor Forward(Tensor input) => input.Sigmoid();
}
