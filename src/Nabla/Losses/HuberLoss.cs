namespace Nabla.Losses;

/// <summary>
/// Huber loss, as <c>torch.nn.HuberLoss</c>: ½d² for |d| &lt; δ and δ(|d| − ½δ) beyond, where
/// d = x − y; quadratic near the target and linear (robust to outliers) far from it.
/// </summary>
/// <remarks>
/// Written as c·(d − ½c) with c = clamp(d, −δ, δ), which equals both branches, so the gradient
/// (clamp(d, −δ, δ)) and second derivatives come from the composed ops without a branch of its own.
/// </remarks>
public sealed class HuberLoss : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="delta">Where the loss turns from quadratic to linear; positive.</param>
    /// <param name="reduction">How the per-element losses are combined (the mean by default).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is not positive and finite.</exception>
    public HuberLoss(double delta = 1, Reduction reduction = Reduction.Mean) : base(reduction)
    {
        if (!(delta > 0) || !double.IsFinite(delta))
            throw new ArgumentOutOfRangeException(nameof(delta), delta, $"HuberLoss: delta must be positive and finite, got {delta}.");
        Delta = delta;
    }

    /// <summary>Where the loss turns from quadratic to linear.</summary>
    public double Delta { get; }

    /// <summary>The Huber losses of <paramref name="input"/> against <paramref name="target"/>, reduced.</summary>
    /// <param name="input">The prediction, any shape.</param>
    /// <param name="target">The true values, the same shape and type as the input.</param>
    /// <exception cref="ShapeMismatchException">The shapes differ.</exception>
    /// <exception cref="ArgumentException">A tensor is Int32, or the element types differ.</exception>
    public override Tensor Forward(Tensor input, Tensor target)
    {
        RequireMatchingTarget(input, target);
        var difference = input - target;
        var clamped = difference.Clamp(-Delta, Delta);
        return Reduce(clamped * (difference - clamped * 0.5));
    }
}
