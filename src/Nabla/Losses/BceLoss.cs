using System.Numerics;

namespace Nabla.Losses;

/// <summary>
/// Binary cross-entropy of probabilities, as <c>torch.nn.BCELoss</c>:
/// −w·(y·log x + (1 − y)·log(1 − x)), with each log clamped at −100 so that a saturated prediction
/// (x exactly 0 or 1) costs at most 100 instead of infinity. For raw scores use
/// <see cref="BceWithLogitsLoss"/>, which is more accurate and needs no clamp.
/// </summary>
/// <remarks>
/// The derivative is PyTorch's: w·(x − y)/max(x(1 − x), 1e−12) for the input, keeping the gradient
/// finite at x = 0 or 1 (the derivative of the clamped logs would give 0·∞ there). It is written with
/// tensor ops, so second derivatives work. The mean is the plain mean of the weighted losses.
/// </remarks>
public sealed class BceLoss : Loss
{
    private const double LogFloor = -100;
    /// <summary>PyTorch's floor of x(1 − x) in the derivative: 1e-12 as a float constant, hence not exactly 1e-12.</summary>
    private const double DenominatorFloor = 1e-12f;

    /// <summary>Creates the loss.</summary>
    /// <param name="weight">A rescaling weight per element, broadcast to the input's shape; null for none.</param>
    /// <param name="reduction">How the per-element losses are combined (the mean by default).</param>
    /// <exception cref="ArgumentException"><paramref name="weight"/> is Int32.</exception>
    public BceLoss(Tensor? weight = null, Reduction reduction = Reduction.Mean) : base(reduction)
        => Weight = ConstantWeight(weight, nameof(BceLoss), nameof(weight));

    /// <summary>The rescaling weight, or null; a constant (never differentiated).</summary>
    public Tensor? Weight { get; }

    /// <summary>The binary cross-entropy of the probabilities <paramref name="input"/> against <paramref name="target"/>.</summary>
    /// <param name="input">Predicted probabilities in [0, 1], any shape.</param>
    /// <param name="target">Target probabilities (usually 0 or 1), the same shape and type as the input.</param>
    /// <exception cref="ShapeMismatchException">The shapes differ, or the weight does not broadcast to the input.</exception>
    /// <exception cref="ArgumentException">An input value lies outside [0, 1] (or is NaN); a tensor is Int32; the element types differ.</exception>
    public override Tensor Forward(Tensor input, Tensor target)
    {
        RequireMatchingTarget(input, target);
        if (input.DType == DType.Float32) RequireProbabilities(input, input.Float32Data);
        else RequireProbabilities(input, input.Float64Data);
        var weight = Weight is null ? null : ExpandWeight(Weight, input, "weight");
        return Reduce(PerElement(input, target, weight));
    }

    private void RequireProbabilities<T>(Tensor input, T[] values) where T : INumber<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] >= T.Zero && values[i] <= T.One) continue;
            throw new ArgumentOutOfRangeException(nameof(input), values[i], $"{Name}: input must hold probabilities in [0, 1], got {values[i]} at position {ClassTargets.Position(i, input.ShapeArray)}; for raw scores (logits) use BceWithLogitsLoss.");
        }
    }

    /// <summary>The unreduced losses, recorded as one node with PyTorch's derivative.</summary>
    private static Tensor PerElement(Tensor x, Tensor y, Tensor? weight)
    {
        Tensor loss;
        using (Autograd.NoGrad())
        {
            loss = -(y * ClampedLog(x) + (1.0 - y) * ClampedLog(1.0 - x));
            if (weight is not null) loss *= weight;
        }
        return Graph.Record("BinaryCrossEntropy", [x, y], loss, static (g, n, weight) =>
        {
            var (x, y) = (n.Inputs[0], n.Inputs[1]);
            var scaled = weight is null ? g : g * weight;
            return
            [
                x.RequiresGrad ? scaled * (x - y) / (x * (1.0 - x)).Clamp(min: DenominatorFloor) : null,
                y.RequiresGrad ? scaled * (ClampedLog(1.0 - x) - ClampedLog(x)) : null,
            ];
        }, weight);
    }

    private static Tensor ClampedLog(Tensor p) => p.Log().Clamp(min: LogFloor);
}
