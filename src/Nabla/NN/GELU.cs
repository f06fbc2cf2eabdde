namespace Nabla.NN;

/// <summary>
/// The Gaussian error linear unit x·Φ(x) in its exact (erf) form, elementwise, as <c>torch.nn.GELU</c>
/// with its default <c>approximate='none'</c>.
/// </summary>
public sealed class GELU : Module
{
    /// <summary>x·Φ(x) for every element; the output has the input's shape.</summary>
    public override Tensor Forward(Tensor input) => input.Gelu();
}
