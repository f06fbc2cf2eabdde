namespace Nabla.Losses;

/// <summary>
/// A loss plus an L2 penalty on chosen tensors: <c>inner(input, target) + strength · Σ‖w‖²</c>, the
/// objective of ridge regression, and of logistic regression and linear SVMs with scikit-learn's
/// <c>C</c>. The penalty is built from differentiable ops, so its gradient <c>2 · strength · w</c>
/// reaches each tensor through autograd.
/// </summary>
/// <remarks>
/// Give only the weights, not the biases, as scikit-learn does: penalising the intercept would pull
/// the predictions towards zero rather than towards the mean. For the mean loss over n samples,
/// scikit-learn's <c>Ridge(alpha)</c> (minimise ‖y − Xw‖² + α‖w‖²) is <c>MseLoss</c> with strength α/n,
/// and <c>LogisticRegression(C)</c> (minimise C·Σ CE + ½‖w‖²) is <c>CrossEntropyLoss</c> with strength 1/(2Cn).
/// </remarks>
/// <example>
/// <code>
/// var linear = new Linear(10, 1);
/// var ridge = new L2Penalized(new MseLoss(), [linear.Weight], strength: alpha / n);
/// </code>
/// </example>
public sealed class L2Penalized : Loss
{
    private readonly Tensor[] _weights;

    /// <summary>Wraps <paramref name="inner"/> with a penalty on <paramref name="weights"/>.</summary>
    /// <param name="inner">The data loss; it must reduce to a scalar (Mean or Sum).</param>
    /// <param name="weights">The tensors whose squared values are penalised (the same objects the optimizer updates).</param>
    /// <param name="strength">The factor of Σ‖w‖²; at least 0 and finite.</param>
    /// <param name="perSample">Whether the penalty is divided by each batch's number of samples (scikit-learn's MLP).</param>
    /// <exception cref="ArgumentException"><paramref name="inner"/> does not reduce, <paramref name="weights"/> is empty or holds an Int32 tensor.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="strength"/> is negative, NaN or infinite.</exception>
    public L2Penalized(Loss inner, IEnumerable<Tensor> weights, double strength, bool perSample = false) : base((inner ?? throw new ArgumentNullException(nameof(inner))).Reduction)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (inner.Reduction == Reduction.None)
            throw new ArgumentException($"L2Penalized: the inner loss {inner.GetType().Name} has Reduction.None; the penalty is one number, so the loss must reduce to a scalar (Mean or Sum).", nameof(inner));
        if (!(strength >= 0) || double.IsInfinity(strength))
            throw new ArgumentOutOfRangeException(nameof(strength), strength, $"L2Penalized: strength must be a finite number of at least 0, got {strength}.");
        _weights = [.. weights];
        if (_weights.Length == 0) throw new ArgumentException("L2Penalized: no weights to penalise; give at least one tensor.", nameof(weights));
        for (int i = 0; i < _weights.Length; i++)
        {
            if (_weights[i] is null) throw new ArgumentException($"L2Penalized: weight {i} is null.", nameof(weights));
            if (_weights[i].DType == DType.Int32) throw new ArgumentException($"L2Penalized: weight {i} is Int32; only floating-point tensors can be penalised.", nameof(weights));
        }
        Inner = inner;
        Strength = strength;
        PerSample = perSample;
    }

    /// <summary>The data loss.</summary>
    public Loss Inner { get; }

    /// <summary>The penalised tensors.</summary>
    public IReadOnlyList<Tensor> Weights => _weights;

    /// <summary>The factor of Σ‖w‖².</summary>
    public double Strength { get; }

    /// <summary>Whether the penalty is divided by each batch's number of samples.</summary>
    public bool PerSample { get; }

    /// <summary>
    /// The inner loss of <paramref name="input"/> against <paramref name="target"/> plus
    /// <see cref="Strength"/> · Σ‖w‖² (divided by the input's first dimension with <see cref="PerSample"/>).
    /// </summary>
    /// <exception cref="ShapeMismatchException">The inner loss rejects the shapes.</exception>
    /// <exception cref="ArgumentException">The inner loss rejects the element types.</exception>
    public override Tensor Forward(Tensor input, Tensor target)
    {
        var loss = Inner.Forward(input, target);
        if (Strength == 0) return loss;
        double samples = PerSample && input.Rank > 0 ? input.ShapeArray[0] : 1;
        return loss + FusedSquaredNorm.Apply(_weights, Strength, samples, loss.DType);
    }
}
