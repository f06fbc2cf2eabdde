using System.Numerics;

namespace Nabla.Estimators;

/// <summary>
/// scikit-learn's <c>SGDOptimizer</c>: v ← momentum·v − η·g, then W ← W + v, or with Nesterov's
/// momentum W ← W + momentum·v − η·g (with the new v); the constant, inverse-scaling and adaptive schedules.
/// </summary>
internal sealed class MlpSgdRule<T> : MlpUpdateRule where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly MlpOptions _options;
    private readonly T[][] _velocities;

    public MlpSgdRule(MlpOptions options, IReadOnlyList<Tensor> parameters) : base(options.LearningRateInit)
    {
        _options = options;
        _velocities = [.. parameters.Select(p => new T[p.Length])];
    }

    public override void Update(IReadOnlyList<Tensor> parameters)
    {
        T momentum = T.CreateChecked(_options.Momentum), rate = T.CreateChecked(LearningRate);
        for (int i = 0; i < parameters.Count; i++)
            FusedUpdate(parameters[i].Span<T>(), parameters[i].Grad!.Span<T>(), _velocities[i], momentum, rate, _options.NesterovsMomentum);
    }

    /// <summary>
    /// The whole step in one pass over the elements, in NumPy's order and roundings, none fused:
    /// v = momentum·v − η·g, then W += v, or W += momentum·v − η·g with the new v (Nesterov).
    /// </summary>
    private static void FusedUpdate(Span<T> w, ReadOnlySpan<T> g, Span<T> v, T momentum, T rate, bool nesterov)
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<T> mu = new(momentum), eta = new(rate);
            for (; j <= w.Length - Vector<T>.Count; j += Vector<T>.Count)
            {
                var step = eta * new Vector<T>(g[j..]);
                var velocity = mu * new Vector<T>(v[j..]) - step;
                (new Vector<T>(w[j..]) + (nesterov ? mu * velocity - step : velocity)).CopyTo(w[j..]);
                velocity.CopyTo(v[j..]);
            }
        }
        for (; j < w.Length; j++)
        {
            T step = rate * g[j];
            v[j] = momentum * v[j] - step;
            w[j] += nesterov ? momentum * v[j] - step : v[j];
        }
    }

    public override void IterationEnds(long samplesSeen)
    {
        if (_options.LearningRate == MlpLearningRate.InvScaling)
            LearningRate = _options.LearningRateInit / Math.Pow(samplesSeen + 1, _options.PowerT);
    }

    public override bool TriggerStopping(string message, TextWriter? verbose)
    {
        if (_options.LearningRate != MlpLearningRate.Adaptive) return base.TriggerStopping(message, verbose);
        if (LearningRate <= 1e-6)
        {
            verbose?.WriteLine(message + " Learning rate too small. Stopping.");
            return true;
        }
        LearningRate /= 5.0;
        verbose?.WriteLine(message + " Setting learning rate to " + Format(LearningRate));
        return false;
    }
}
