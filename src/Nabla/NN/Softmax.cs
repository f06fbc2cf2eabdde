namespace Nabla.NN;

/// <summary>Softmax along one axis (the values along it become positive and sum to 1), as <c>torch.nn.Softmax</c>.</summary>
public sealed class Softmax : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="axis">The axis to normalise along (the class axis); negative counts from the end.</param>
    public Softmax(int axis) => Axis = axis;

    /// <summary>The axis the softmax is taken along.</summary>
    public int Axis { get; }

    /// <summary>e^(xᵢ)/Σⱼ e^(xⱼ) along <see cref="Axis"/>; the output has the input's shape.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input has no axis <see cref="Axis"/>.</exception>
    public override Tensor Forward(Tensor input) => input.Softmax(Axis);
}
