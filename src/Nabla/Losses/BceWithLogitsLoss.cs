namespace Nabla.Losses;

/// <summary>
/// Binary cross-entropy on raw scores (logits), as <c>torch.nn.BCEWithLogitsLoss</c>: the sigmoid
/// and the cross-entropy in one numerically stable step,
/// ℓ = w·((1 − y)·x + (1 + (p − 1)·y)·log(1 + e^(−x))), exact for logits of ±100 and beyond.
/// The loss of logistic regression and of multi-label classification.
/// </summary>
/// <remarks>
/// Computed by one fused op with its own derivative w·(σ(x)·(1 + (p − 1)·y) − p·y); second
/// derivatives work (the recorded backward is written with tensor ops). The mean is the plain mean
/// of the weighted losses, as PyTorch.
/// </remarks>
public sealed class BceWithLogitsLoss : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="weight">A rescaling weight per element, broadcast to the input's shape; null for none.</param>
    /// <param name="posWeight">
    /// The weight p of positive examples, broadcast to the input's shape (one per class, along the last
    /// axis, for multi-label problems): above 1 raises recall, below 1 precision. Null means 1.
    /// </param>
    /// <param name="reduction">How the per-element losses are combined (the mean by default).</param>
    /// <exception cref="ArgumentException">A weight is Int32.</exception>
    public BceWithLogitsLoss(Tensor? weight = null, Tensor? posWeight = null, Reduction reduction = Reduction.Mean) : base(reduction)
    {
        Weight = ConstantWeight(weight, nameof(BceWithLogitsLoss), nameof(weight));
        PosWeight = ConstantWeight(posWeight, nameof(BceWithLogitsLoss), nameof(posWeight));
    }

    /// <summary>The rescaling weight, or null; a constant (never differentiated).</summary>
    public Tensor? Weight { get; }

    /// <summary>The weight of positive examples, or null; a constant (never differentiated).</summary>
    public Tensor? PosWeight { get; }

    /// <summary>The binary cross-entropy of the logits <paramref name="input"/> against <paramref name="target"/>.</summary>
    /// <param name="input">Logits (any real values), any shape.</param>
    /// <param name="target">Target probabilities (usually 0 or 1), the same shape and type as the input.</param>
    /// <exception cref="ShapeMismatchException">The shapes differ, or a weight does not broadcast to the input.</exception>
    /// <exception cref="ArgumentException">A tensor is Int32, or the element types differ.</exception>
    public override Tensor Forward(Tensor input, Tensor target)
    {
        RequireMatchingTarget(input, target);
        var weight = Weight is null ? null : ExpandWeight(Weight, input, "weight");
        var posWeight = PosWeight is null ? null : ExpandWeight(PosWeight, input, "posWeight");
        return FusedBceWithLogits.Apply(input, target, weight, posWeight, Reduction);
    }
}
