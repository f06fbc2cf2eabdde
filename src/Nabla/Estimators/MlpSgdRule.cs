using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Estimators;

/// <summary>
/// scikit-learn's <c>SGDOptimizer</c>: v ← momentum·v − η·g, then W ← W + v, or with Nesterov's
/// momentum W ← W + momentum·v − η·g (with the new v); the constant, inverse-scaling and adaptive schedules.
/// </summary>
internal sealed class MlpSgdRule<T> : MlpUpdateRule where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly MlpOptions _options;
    private readonly T[][] _velocities;
    private readonly T[][] _scratch;

    public MlpSgdRule(MlpOptions options, IReadOnlyList<Tensor> parameters) : base(options.LearningRateInit)
    {
        _options = options;
        _velocities = [.. parameters.Select(p => new T[p.Length])];
        _scratch = [.. parameters.Select(p => new T[p.Length])];
    }

    public override void Update(IReadOnlyList<Tensor> parameters)
    {
        T momentum = T.CreateChecked(_options.Momentum), rate = T.CreateChecked(LearningRate);
        for (int i = 0; i < parameters.Count; i++)
        {
            Span<T> w = parameters[i].Span<T>(), v = _velocities[i], step = _scratch[i];
            ReadOnlySpan<T> g = parameters[i].Grad!.Span<T>();
            // The same roundings as NumPy's momentum * velocity - learning_rate * grad.
            TensorPrimitives.Multiply(g, rate, step);
            TensorPrimitives.Multiply(v, momentum, v);
            TensorPrimitives.Subtract(v, step, v);
            if (_options.NesterovsMomentum)
            {
                // The update is momentum·v − η·g again, with the new v.
                for (int j = 0; j < step.Length; j++) step[j] = momentum * v[j] - step[j];
            }
            TensorPrimitives.Add(w, _options.NesterovsMomentum ? step : v, w);
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
