using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Estimators;

/// <summary>
/// scikit-learn's <c>AdamOptimizer</c>: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², and
/// W ← W − ηₜ·m / (√v + ε) with ηₜ = η·√(1 − β₂ᵗ) / (1 − β₁ᵗ): the bias correction folded into the
/// learning rate, and ε added to √v (PyTorch adds it to √v̂, which is not the same step).
/// </summary>
internal sealed class MlpAdamRule<T> : MlpUpdateRule where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly MlpOptions _options;
    private readonly T[][] _first;
    private readonly T[][] _second;
    private readonly T[][] _scratch;
    private int _step;

    public MlpAdamRule(MlpOptions options, IReadOnlyList<Tensor> parameters) : base(options.LearningRateInit)
    {
        _options = options;
        _first = [.. parameters.Select(p => new T[p.Length])];
        _second = [.. parameters.Select(p => new T[p.Length])];
        _scratch = [.. parameters.Select(p => new T[p.Length])];
    }

    public override void Update(IReadOnlyList<Tensor> parameters)
    {
        _step++;
        double beta1 = _options.Beta1, beta2 = _options.Beta2;
        LearningRate = _options.LearningRateInit * Math.Sqrt(1 - Math.Pow(beta2, _step)) / (1 - Math.Pow(beta1, _step));
        T b1 = T.CreateChecked(beta1), b2 = T.CreateChecked(beta2), c1 = T.CreateChecked(1 - beta1), c2 = T.CreateChecked(1 - beta2);
        T rate = T.CreateChecked(-LearningRate), epsilon = T.CreateChecked(_options.Epsilon);
        for (int i = 0; i < parameters.Count; i++)
        {
            Span<T> w = parameters[i].Span<T>(), m = _first[i], v = _second[i], work = _scratch[i];
            ReadOnlySpan<T> g = parameters[i].Grad!.Span<T>();
            // The same roundings as NumPy's beta_1 * m + (1 - beta_1) * grad and beta_2 * v + (1 - beta_2) * grad**2.
            TensorPrimitives.Multiply(m, b1, m);
            TensorPrimitives.Multiply(g, c1, work);
            TensorPrimitives.Add(m, work, m);
            TensorPrimitives.Multiply(g, g, work);
            TensorPrimitives.Multiply(work, c2, work);
            TensorPrimitives.Multiply(v, b2, v);
            TensorPrimitives.Add(v, work, v);
            // (−ηₜ·m) / (√v + ε), in NumPy's order, added to the weights.
            TensorPrimitives.Sqrt(v, work);
            TensorPrimitives.Add(work, epsilon, work);
            for (int j = 0; j < work.Length; j++) w[j] += rate * m[j] / work[j];
        }
    }
}
