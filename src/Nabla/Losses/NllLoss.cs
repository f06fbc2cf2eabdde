namespace Nabla.Losses;

/// <summary>
/// Negative log-likelihood of log-probabilities, as <c>torch.nn.NLLLoss</c>: −w_t·x_t for the
/// target class t of each sample. Follow <see cref="Tensor.LogSoftmax"/> with it, or use
/// <see cref="CrossEntropyLoss"/>, which does both in one step.
/// </summary>
/// <remarks>
/// Input [N, C] or [N, C, d1, …]; target Int32 class indices [N] or [N, d1, …]. The mean divides by
/// the sum of the target classes' weights (the number of samples not ignored, without weights), as
/// PyTorch; it is NaN when every target is ignored. Composed from differentiable ops (a gather), so
/// the gradient −w_t at each target and the second derivatives follow.
/// </remarks>
public sealed class NllLoss : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="weight">One weight per class (shape [C]); null for equal weights.</param>
    /// <param name="ignoreIndex">A target index that contributes neither loss nor gradient.</param>
    /// <param name="reduction">How the per-sample losses are combined (the weighted mean by default).</param>
    /// <exception cref="ArgumentException"><paramref name="weight"/> is Int32.</exception>
    public NllLoss(Tensor? weight = null, int ignoreIndex = -100, Reduction reduction = Reduction.Mean) : base(reduction)
    {
        Weight = ConstantWeight(weight, nameof(NllLoss), nameof(weight));
        IgnoreIndex = ignoreIndex;
    }

    /// <summary>The class weights, or null; a constant (never differentiated).</summary>
    public Tensor? Weight { get; }

    /// <summary>The target index that is ignored.</summary>
    public int IgnoreIndex { get; }

    /// <summary>The negative log-likelihood of the log-probabilities <paramref name="input"/> at the classes <paramref name="target"/>.</summary>
    /// <param name="input">Log-probabilities [N, C] or [N, C, d1, …].</param>
    /// <param name="target">Int32 class indices [N] or [N, d1, …].</param>
    /// <returns>A scalar, or with <see cref="Reduction.None"/> one loss per sample, shaped like the target.</returns>
    /// <exception cref="ShapeMismatchException">The input is not [N, C, …], the target does not fit it, or the weight does not hold C values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A class index is outside [0, C) and is not <see cref="IgnoreIndex"/>.</exception>
    /// <exception cref="ArgumentException">The input is Int32, or the target is not Int32.</exception>
    public override Tensor Forward(Tensor input, Tensor target)
    {
        ClassTargets.RequireClassInput(Name, input, allowSpatial: true);
        ClassTargets.RequireIndices(Name, input, target, IgnoreIndex);
        var weight = Weight is null ? null : ClassTargets.ForClasses(Name, Weight, input).ToDoubleArray();
        var labels = target.Int32Data;
        var safeLabels = new int[labels.Length];
        var rowWeights = new double[labels.Length];
        double weightSum = 0;
        for (int r = 0; r < labels.Length; r++)
        {
            if (labels[r] == IgnoreIndex) continue;
            safeLabels[r] = labels[r];
            rowWeights[r] = weight?[labels[r]] ?? 1;
            weightSum += rowWeights[r];
        }
        int rows = labels.Length;
        var picked = ClassTargets.ClassesLast(input).Gather(1, Tensor.FromArray(safeLabels, rows, 1)).Reshape(rows);
        var losses = -(picked * Tensor.FromArray(rowWeights).To(input.DType));
        return Reduction switch
        {
            Reduction.Mean => losses.Sum() / weightSum,
            Reduction.Sum => losses.Sum(),
            _ => losses.Reshape(target.ShapeArray),
        };
    }
}
