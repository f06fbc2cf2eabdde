namespace Nabla.Losses;

/// <summary>
/// Mean absolute error |x − y|, as <c>torch.nn.L1Loss</c>: robust to outliers. The gradient is
/// sign(x − y), taken as 0 where the prediction is exact, as PyTorch.
/// </summary>
/// <param name="reduction">How the absolute errors are combined (the mean by default).</param>
public sealed class L1Loss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <summary>The absolute errors of <paramref name="input"/> against <paramref name="target"/>, reduced.</summary>
    /// <param name="input">The prediction, any shape.</param>
    /// <param name="target">The true values, the same shape and type as the input.</param>
    /// <exception cref="ShapeMismatchException">The shapes differ.</exception>
    /// <exception cref="ArgumentException">A tensor is Int32, or the element types differ.</exception>
    public override Tensor Forward(Tensor input, Tensor target)
    {
        RequireMatchingTarget(input, target);
        return Reduce((input - target).Abs());
    }
}
