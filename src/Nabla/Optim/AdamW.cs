namespace Nabla.Optim;

/// <summary>
/// AdamW: <see cref="Adam"/> with decoupled weight decay, as <c>torch.optim.AdamW</c> (PyTorch
/// 1.13): before each step the parameter shrinks by p = p·(1 − lr·weightDecay), and the gradient
/// itself is left alone, so the decay is not rescaled by the adaptive denominator.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer; every setting is checked here.</summary>
    /// <param name="parameters">The tensors to optimize.</param>
    /// <param name="learningRate">Step size (≥ 0).</param>
    /// <param name="beta1">Decay of the gradient average, in [0, 1).</param>
    /// <param name="beta2">Decay of the squared-gradient average, in [0, 1).</param>
    /// <param name="eps">Added to the denominator for numerical stability (≥ 0).</param>
    /// <param name="weightDecay">Decoupled weight decay coefficient (≥ 0).</param>
    /// <param name="amsgrad">Use the maximum of the squared-gradient averages so far (AMSGrad).</param>
    /// <param name="maximize">Ascend the objective instead of descending.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    public AdamW(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 1e-2, bool amsgrad = false, bool maximize = false)
        : base(parameters, learningRate, beta1, beta2, eps, weightDecay, amsgrad, maximize, decoupledWeightDecay: true)
    {
    }
}
