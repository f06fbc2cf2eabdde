namespace Nabla.Optim;

/// <summary>Where <see cref="Adam"/> adds ε, and so how it applies its bias corrections.</summary>
public enum AdamEpsilonPlacement
{
    /// <summary>
    /// To the bias-corrected root, as PyTorch and the Adam paper's Algorithm 1 (the default):
    /// p = p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε).
    /// </summary>
    CorrectedMoment,

    /// <summary>
    /// To the raw root, with both corrections folded into the step size, as scikit-learn's MLP
    /// (<c>AdamOptimizer</c>), TensorFlow/Keras and the paper's ε̂ form (its section 2):
    /// lrₜ = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ), p = p + (−lrₜ·m) / (√v + ε). The two forms differ only
    /// through ε, which here weighs more in the first steps, while 1 − β₂ᵗ is small.
    /// </summary>
    RawMoment,
}
