namespace Nabla.Losses;

/// <summary>
/// A loss function: compares a prediction with a target and returns a differentiable tensor, a scalar
/// unless <see cref="Reduction"/> is <see cref="Reduction.None"/>. Each subclass follows the
/// semantics and defaults of the PyTorch loss of the same name.
/// </summary>
/// <example>
/// <code>
/// var loss = new CrossEntropyLoss().Forward(logits, labels);   // logits [N, C], labels Int32 [N]
/// loss.Backward();
/// </code>
/// </example>
public abstract class Loss
{
    /// <summary>Sets the reduction, rejecting values outside the enum.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined <see cref="Losses.Reduction"/>.</exception>
    private protected Loss(Reduction reduction)
    {
        if (!Enum.IsDefined(reduction))
            throw new ArgumentOutOfRangeException(nameof(reduction), reduction, $"{GetType().Name}: reduction must be Mean, Sum or None, got {(int)reduction}.");
        Reduction = reduction;
    }

    /// <summary>How the per-element losses are combined.</summary>
    public Reduction Reduction { get; }

    /// <summary>The loss of <paramref name="input"/> (the prediction) against <paramref name="target"/>.</summary>
    /// <param name="input">The prediction; its required shape and meaning depend on the loss.</param>
    /// <param name="target">What the prediction should have been.</param>
    /// <returns>A scalar, or the unreduced losses with <see cref="Reduction.None"/>.</returns>
    /// <exception cref="ShapeMismatchException">The shapes of input and target (or a weight) do not fit; the message names the loss and both shapes.</exception>
    /// <exception cref="ArgumentException">A tensor has the wrong element type, or a value is out of range.</exception>
    public abstract Tensor Forward(Tensor input, Tensor target);

    /// <summary>The loss's name in error messages.</summary>
    private protected string Name => GetType().Name;

    /// <summary>Mean, sum or nothing, by <see cref="Reduction"/>.</summary>
    private protected Tensor Reduce(Tensor perElement) => Reduction switch
    {
        Reduction.Mean => perElement.Mean(),
        Reduction.Sum => perElement.Sum(),
        _ => perElement,
    };

    /// <summary>
    /// Checks a floating-point input and a floating-point target of the same shape and type, as the
    /// elementwise losses need (PyTorch only warns on a shape difference and then broadcasts, which
    /// silently turns [N, 1] against [N] into an [N, N] loss; here it is an error).
    /// </summary>
    private protected void RequireMatchingTarget(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        input.RequireFloatingPoint(Name);
        if (target.DType == DType.Int32)
            throw new ArgumentException($"{Name}: target must be floating-point like the input ({input.DType}), got Int32; convert it with To(DType.{input.DType}).", nameof(target));
        ElementwiseDispatch.RequireSameType(input, target, Name);
        if (!Shapes.SameShape(input.ShapeArray, target.ShapeArray))
            throw new ShapeMismatchException($"{Name}: input shape {Shapes.Format(input.ShapeArray)} and target shape {Shapes.Format(target.ShapeArray)} differ; they must be equal (reshape one, e.g. a [N] target for a [N, 1] prediction).");
    }

    /// <summary>A weight given at construction, checked to be floating-point and detached from any graph (weights are constants).</summary>
    private protected static Tensor? ConstantWeight(Tensor? weight, string loss, string parameter)
    {
        if (weight is null) return null;
        if (weight.DType == DType.Int32)
            throw new ArgumentException($"{loss}: {parameter} must be a floating-point tensor, got Int32.", parameter);
        return weight.Detach();
    }

    /// <summary>A weight broadcast to the input's shape in the input's element type.</summary>
    private protected Tensor ExpandWeight(Tensor weight, Tensor input, string parameter)
    {
        if (!Shapes.BroadcastsTo(weight.ShapeArray, input.ShapeArray))
            throw new ShapeMismatchException($"{Name}: {parameter} of shape {Shapes.Format(weight.ShapeArray)} does not broadcast to the input shape {Shapes.Format(input.ShapeArray)}.");
        return weight.To(input.DType).BroadcastTo(input.ShapeArray);
    }
}
