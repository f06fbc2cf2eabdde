namespace Nabla.Losses;

/// <summary>
/// Cross-entropy from logits, as <c>torch.nn.CrossEntropyLoss</c>: log-softmax over the classes
/// (axis 1) followed by the negative log-likelihood of the target, the loss of every classifier.
/// </summary>
/// <remarks>
/// <para>
/// Input [N, C] or [N, C, d1, …] (a score per class, e.g. per pixel); the target is either Int32
/// class indices of shape [N] or [N, d1, …], or class probabilities of the input's shape and type
/// (soft labels, as PyTorch 1.10+).
/// </para>
/// <para>
/// With class indices the mean divides by the sum of the target classes' weights (the number of
/// samples not ignored, without weights), as PyTorch; with label smoothing ε the target is mixed
/// with the uniform distribution, each class receiving ε/C. Index targets run as one fused op with
/// its own derivative (softmax − onehot, weighted and normalised), exact for logits of ±1000;
/// probability targets are composed from log-softmax. Second derivatives work in both cases.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var loss = new CrossEntropyLoss(labelSmoothing: 0.1).Forward(model.Forward(x), labels);
/// loss.Backward();
/// </code>
/// </example>
public sealed class CrossEntropyLoss : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="weight">One weight per class (shape [C]), e.g. to balance rare classes; null for equal weights.</param>
    /// <param name="ignoreIndex">A target index that contributes neither loss nor gradient (padding, unlabelled pixels).</param>
    /// <param name="labelSmoothing">ε in [0, 1]: the share of the target spread evenly over all classes.</param>
    /// <param name="reduction">How the per-sample losses are combined (the weighted mean by default).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> is outside [0, 1].</exception>
    /// <exception cref="ArgumentException"><paramref name="weight"/> is Int32.</exception>
    public CrossEntropyLoss(Tensor? weight = null, int ignoreIndex = -100, double labelSmoothing = 0, Reduction reduction = Reduction.Mean)
        : base(reduction)
    {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, $"CrossEntropyLoss: labelSmoothing must be in [0, 1], got {labelSmoothing}.");
        Weight = ConstantWeight(weight, nameof(CrossEntropyLoss), nameof(weight));
        IgnoreIndex = ignoreIndex;
        LabelSmoothing = labelSmoothing;
    }

    /// <summary>The class weights, or null; a constant (never differentiated).</summary>
    public Tensor? Weight { get; }

    /// <summary>The target index that is ignored.</summary>
    public int IgnoreIndex { get; }

    /// <summary>The label smoothing ε.</summary>
    public double LabelSmoothing { get; }

    /// <summary>The cross-entropy of the logits <paramref name="input"/> against <paramref name="target"/>.</summary>
    /// <param name="input">Logits [N, C] or [N, C, d1, …].</param>
    /// <param name="target">Int32 class indices [N] or [N, d1, …], or class probabilities shaped like the input.</param>
    /// <returns>A scalar, or with <see cref="Reduction.None"/> one loss per sample, shaped like the index target (the input without axis 1).</returns>
    /// <exception cref="ShapeMismatchException">The input is not [N, C, …], the target does not fit it, or the weight does not hold C values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A class index is outside [0, C) and is not <see cref="IgnoreIndex"/>.</exception>
    /// <exception cref="ArgumentException">The input is Int32, or probability targets differ from it in type.</exception>
    public override Tensor Forward(Tensor input, Tensor target)
    {
        int classes = ClassTargets.RequireClassInput(Name, input, allowSpatial: true);
        ArgumentNullException.ThrowIfNull(target);
        var weight = Weight is null ? null : ClassTargets.ForClasses(Name, Weight, input);
        if (target.DType != DType.Int32) return FromProbabilities(input, target, weight, classes);
        ClassTargets.RequireIndices(Name, input, target, IgnoreIndex);
        var loss = FusedCrossEntropy.Apply(ClassTargets.ClassesLast(input), target.Int32Data, weight, IgnoreIndex, LabelSmoothing, Reduction);
        return Reduction == Reduction.None ? loss.Reshape(target.ShapeArray) : loss;
    }

    /// <summary>
    /// −Σ_c w_c·y_c·log softmax(x)_c per sample, y smoothed to (1 − ε)·y + ε/C; the mean divides by
    /// the number of samples (positions), not by the weights, as PyTorch.
    /// </summary>
    private Tensor FromProbabilities(Tensor input, Tensor target, Tensor? weight, int classes)
    {
        RequireMatchingTarget(input, target);
        var probabilities = LabelSmoothing > 0 ? target * (1 - LabelSmoothing) + LabelSmoothing / classes : target;
        var terms = input.LogSoftmax(1) * probabilities;
        if (weight is not null)
        {
            var perClass = new int[input.Rank];
            Array.Fill(perClass, 1);
            perClass[1] = classes;
            terms *= weight.Reshape(perClass);
        }
        return Reduce(-terms.Sum(1));
    }
}
