namespace Nabla.NN;

/// <summary>
/// Inverted dropout, as <c>torch.nn.Dropout</c>: in training each element is zeroed with probability
/// <see cref="P"/> and the others are scaled by 1/(1 − p), so the expected output equals the input
/// and evaluation needs no rescaling; in evaluation the input passes through unchanged.
/// </summary>
/// <remarks>
/// The mask is drawn from the layer's <see cref="Generator"/>, so the same generator state gives the
/// same mask. The output is the input times the mask, so the gradient is the upstream gradient times
/// the same mask.
/// </remarks>
public sealed class Dropout : Module, IRandomModule
{
    private readonly Generator _generator;

    /// <summary>Creates the layer.</summary>
    /// <param name="p">The probability of zeroing an element, in [0, 1].</param>
    /// <param name="generator">Where the masks come from; <see cref="Init.DefaultGenerator"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1].</exception>
    public Dropout(double p = 0.5, Generator? generator = null)
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, $"Dropout: the probability p must be in [0, 1], got {p}.");
        P = p;
        _generator = generator ?? Init.DefaultGenerator;
    }

    /// <summary>The probability of zeroing an element.</summary>
    public double P { get; }

    Generator IRandomModule.Generator => _generator;

    /// <summary>In training, the input with random elements zeroed and the rest scaled by 1/(1 − p); in evaluation, the input.</summary>
    /// <exception cref="ArgumentException">The input is Int32.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.RequireFloatingPoint(nameof(Dropout));
        if (!IsTraining || P == 0) return input;
        return input * Mask(input);
    }

    /// <summary>0 with probability p, else 1/(1 − p) (all zeros when p is 1), shaped as the input.</summary>
    private Tensor Mask(Tensor input)
    {
        var mask = Tensor.Empty(input.ShapeArray, input.DType);
        double keep = P == 1 ? 0 : 1 / (1 - P);
        if (input.DType == DType.Float32)
        {
            var span = mask.Span<float>();
            for (int i = 0; i < span.Length; i++) span[i] = _generator.NextDouble() < P ? 0f : (float)keep;
        }
        else
        {
            var span = mask.Span<double>();
            for (int i = 0; i < span.Length; i++) span[i] = _generator.NextDouble() < P ? 0 : keep;
        }
        return mask;
    }
}
