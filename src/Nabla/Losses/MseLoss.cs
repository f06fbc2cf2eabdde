namespace Nabla.Losses;

/// <summary>
/// Mean squared error (x − y)², as <c>torch.nn.MSELoss</c>: the loss of least-squares regression.
/// Composed from differentiable ops, so its gradient 2(x − y) and all higher derivatives follow.
/// </summary>
/// <remarks>
/// With <c>halfPerSample</c> it is scikit-learn's MLP squared loss instead, for input and target of
/// N samples (the first dimension) and K values each: the value is ½·mean((x − y)²) over all N·K
/// values, as <c>MLPRegressor</c> reports it (<c>loss_curve_</c>), and the gradient is that of
/// ½·Σ‖x − y‖²/N, i.e. (x − y)/N, as its back-propagation divides the errors by N only. For one
/// value a sample (K = 1) the gradient is the value's; for K &gt; 1 it is K times it, which is what
/// scikit-learn does: the value is computed as ½·Σ/N − detach(½·Σ/N)·(1 − 1/K).
/// </remarks>
public sealed class MseLoss : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">How the squared errors are combined (the mean by default).</param>
    /// <param name="halfPerSample">scikit-learn's MLP form described above; needs <see cref="Reduction.Mean"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="halfPerSample"/> with a reduction other than the mean.</exception>
    public MseLoss(Reduction reduction = Reduction.Mean, bool halfPerSample = false) : base(reduction)
    {
        if (halfPerSample && reduction != Reduction.Mean)
            throw new ArgumentException($"MseLoss: halfPerSample is a mean over the samples; use Reduction.Mean, got {reduction}.", nameof(halfPerSample));
        HalfPerSample = halfPerSample;
    }

    /// <summary>Whether this is scikit-learn's MLP form: value ½·mean((x − y)²), gradient (x − y)/N.</summary>
    public bool HalfPerSample { get; }

    /// <summary>The squared errors of <paramref name="input"/> against <paramref name="target"/>, reduced.</summary>
    /// <param name="input">The prediction, any shape (at least 1-D with <see cref="HalfPerSample"/>).</param>
    /// <param name="target">The true values, the same shape and type as the input.</param>
    /// <exception cref="ShapeMismatchException">The shapes differ.</exception>
    /// <exception cref="ArgumentException">A tensor is Int32, or the element types differ.</exception>
    public override Tensor Forward(Tensor input, Tensor target)
    {
        RequireMatchingTarget(input, target);
        var difference = input - target;
        var squares = difference * difference;
        if (!HalfPerSample) return Reduce(squares);
        int samples = input.Rank == 0 ? 1 : input.ShapeArray[0];
        int values = samples == 0 ? 1 : input.Length / samples;
        var perSample = squares.Sum() * (0.5 / samples);
        return values == 1 ? perSample : perSample - perSample.Detach() * (1 - 1.0 / values);
    }
}
