namespace Nabla.Optim;

/// <summary>How <see cref="Sgd"/> keeps its momentum.</summary>
public enum SgdMomentumForm
{
    /// <summary>
    /// A running sum of gradients, scaled by the learning rate at each step, as PyTorch (the default):
    /// b = momentum·b + (1 − dampening)·g, p = p − lr·b (Nesterov: p = p − lr·(g + momentum·b)).
    /// </summary>
    Gradient,

    /// <summary>
    /// A velocity that holds steps, as scikit-learn's MLP (<c>SGDOptimizer</c>) and Sutskever et al.
    /// (2013): v = momentum·v − lr·g, p = p + v (Nesterov: p = p + momentum·v − lr·g, with the new v).
    /// With a constant learning rate it takes the same steps as <see cref="Gradient"/> (v = −lr·b);
    /// when a schedule changes the rate, the velocity keeps the old rate's steps where the gradient
    /// form rescales its whole sum by the new one.
    /// </summary>
    Velocity,
}
