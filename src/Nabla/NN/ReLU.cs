namespace Nabla.NN;

/// <summary>The rectified linear unit max(x, 0), elementwise, as <c>torch.nn.ReLU</c>.</summary>
public sealed class ReLU : Module
{
    /// <summary>max(x, 0) for every element; the output has the input's shape.</summary>
    public override Tensor Forward(Tensor input) => input.Relu();
}
