namespace Nabla.Losses;

/// <summary>
/// The multi-class hinge loss of linear support vector machines, as <c>torch.nn.MultiMarginLoss</c>:
/// for a sample with scores x and target class y, w_y/C · Σ_{i≠y} max(0, margin − x_y + x_i)^p.
/// </summary>
/// <remarks>
/// Input [N, C] scores, target Int32 classes [N]. The weight scales each sample by its target
/// class's weight; the mean is the plain mean over samples, as PyTorch. Composed from
/// differentiable ops (a gather and a ReLU), whose gradient at a hinge's kink is 0, as PyTorch's.
/// </remarks>
public sealed class MultiMarginLoss : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="p">1 for the hinge, 2 for the squared hinge.</param>
    /// <param name="margin">How far the target's score should lead every other class's.</param>
    /// <param name="weight">One weight per class (shape [C]); null for equal weights.</param>
    /// <param name="reduction">How the per-sample losses are combined (the mean by default).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is not 1 or 2, or <paramref name="margin"/> is not finite.</exception>
    /// <exception cref="ArgumentException"><paramref name="weight"/> is Int32.</exception>
    public MultiMarginLoss(int p = 1, double margin = 1, Tensor? weight = null, Reduction reduction = Reduction.Mean) : base(reduction)
    {
        if (p is not (1 or 2))
            throw new ArgumentOutOfRangeException(nameof(p), p, $"MultiMarginLoss: p must be 1 (hinge) or 2 (squared hinge), got {p}.");
        if (!double.IsFinite(margin))
            throw new ArgumentOutOfRangeException(nameof(margin), margin, $"MultiMarginLoss: margin must be finite, got {margin}.");
        P = p;
        Margin = margin;
        Weight = ConstantWeight(weight, nameof(MultiMarginLoss), nameof(weight));
    }

    /// <summary>The hinge's power: 1 or 2.</summary>
    public int P { get; }

    /// <summary>The margin the target's score should keep over the others.</summary>
    public double Margin { get; }

    /// <summary>The class weights, or null; a constant (never differentiated).</summary>
    public Tensor? Weight { get; }

    /// <summary>The hinge loss of the scores <paramref name="input"/> against the classes <paramref name="target"/>.</summary>
    /// <param name="input">Scores [N, C].</param>
    /// <param name="target">Int32 class indices [N].</param>
    /// <returns>A scalar, or with <see cref="Reduction.None"/> one loss per sample ([N]).</returns>
    /// <exception cref="ShapeMismatchException">The input is not [N, C], the target is not [N], or the weight does not hold C values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A class index is outside [0, C).</exception>
    /// <exception cref="ArgumentException">The input is Int32, or the target is not Int32.</exception>
    public override Tensor Forward(Tensor input, Tensor target)
    {
        int classes = ClassTargets.RequireClassInput(Name, input, allowSpatial: false);
        ClassTargets.RequireIndices(Name, input, target, ignoreIndex: null);
        var weight = Weight is null ? null : ClassTargets.ForClasses(Name, Weight, input).ToDoubleArray();
        var labels = target.Int32Data;
        int rows = labels.Length;
        var others = new double[rows * classes];
        var sampleWeights = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < classes; c++) others[r * classes + c] = c == labels[r] ? 0 : 1;
            sampleWeights[r] = (weight?[labels[r]] ?? 1) / classes;
        }
        var targetScores = input.Gather(1, target.Reshape(rows, 1));
        var hinge = (input - targetScores + Margin).Relu();
        if (P == 2) hinge *= hinge;
        var perSample = (hinge * Tensor.FromArray(others, rows, classes).To(input.DType)).Sum(1);
        return Reduce(perSample * Tensor.FromArray(sampleWeights).To(input.DType));
    }
}
