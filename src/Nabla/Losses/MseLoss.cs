namespace Nabla.Losses;

/// <summary>
/// Mean squared error (x − y)², as <c>torch.nn.MSELoss</c>: the loss of least-squares regression.
/// Composed from differentiable ops, so its gradient 2(x − y) and all higher derivatives follow.
/// </summary>
/// <param name="reduction">How the squared errors are combined (the mean by default).</param>
public sealed class MseLoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <summary>The squared errors of <paramref name="input"/> against <paramref name="target"/>, reduced.</summary>
    /// <param name="input">The prediction, any shape.</param>
    /// <param name="target">The true values, the same shape and type as the input.</param>
    /// <exception cref="ShapeMismatchException">The shapes differ.</exception>
    /// <exception cref="ArgumentException">A tensor is Int32, or the element types differ.</exception>
    public override Tensor Forward(Tensor input, Tensor target)
    {
        RequireMatchingTarget(input, target);
        var difference = input - target;
        return Reduce(difference * difference);
    }
}
