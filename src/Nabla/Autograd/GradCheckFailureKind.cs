namespace Nabla;

/// <summary>Which of <see cref="GradCheck"/>'s checks a <see cref="GradCheckFailure"/> comes from.</summary>
public enum GradCheckFailureKind
{
    /// <summary>
    /// The analytic Jacobian (from backward) differs from the central-difference Jacobian by more
    /// than atol + rtol·|numeric| in at least one element: the derivative rule is wrong.
    /// </summary>
    JacobianMismatch,

    /// <summary>Two backward passes over the same inputs gave gradients that are not bit-identical.</summary>
    NotRepeatable,

    /// <summary>A gradient's shape differs from the shape of the input it belongs to.</summary>
    GradientShape,

    /// <summary>A gradient's element type differs from the type of the input it belongs to.</summary>
    GradientDType,

    /// <summary>
    /// A zero upstream gradient gave a non-zero input gradient: the backward rule does not scale
    /// with the gradient it is given.
    /// </summary>
    NonZeroForZeroGradOutput,
}
