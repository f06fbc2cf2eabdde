namespace Nabla.NN;

/// <summary>x where x &gt; 0, else slope·x, elementwise, as <c>torch.nn.LeakyReLU</c>.</summary>
public sealed class LeakyReLU : Module
{
    /// <summary>Creates the activation.</summary>
    /// <param name="negativeSlope">The slope for negative inputs (PyTorch's default 0.01).</param>
    /// <exception cref="ArgumentOutOfRangeException">The slope is not finite.</exception>
    public LeakyReLU(double negativeSlope = 0.01)
    {
        if (!double.IsFinite(negativeSlope))
            throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, $"LeakyReLU: the negative slope must be finite, got {negativeSlope}.");
        NegativeSlope = negativeSlope;
    }

    /// <summary>The slope for negative inputs.</summary>
    public double NegativeSlope { get; }

    /// <summary>Applies the activation to every element; the output has the input's shape.</summary>
    public override Tensor Forward(Tensor input) => input.LeakyRelu(NegativeSlope);
}
