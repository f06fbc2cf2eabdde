namespace Nabla.NN;

/// <summary>
/// The logarithm of the softmax along one axis, computed stably (not as log of softmax), as
/// <c>torch.nn.LogSoftmax</c>: the input a negative log-likelihood loss expects.
/// </summary>
public sealed class LogSoftmax : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="axis">The axis to normalise along (the class axis); negative counts from the end.</param>
    public LogSoftmax(int axis) => Axis = axis;

    /// <summary>The axis the log-softmax is taken along.</summary>
    public int Axis { get; }

    /// <summary>x − log Σ e^x along <see cref="Axis"/>; the output has the input's shape.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input has no axis <see cref="Axis"/>.</exception>
    public override Tensor Forward(Tensor input) => input.LogSoftmax(Axis);
}
