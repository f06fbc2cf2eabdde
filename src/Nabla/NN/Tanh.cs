namespace Nabla.NN;

/// <summary>The hyperbolic tangent, elementwise, as <c>torch.nn.Tanh</c>.</summary>
public sealed class Tanh : Module
{
    /// <summary>tanh(x) for every element; the output has the input's shape.</summary>
    public override Tensor Forward(Tensor input) => input.Tanh();
}
