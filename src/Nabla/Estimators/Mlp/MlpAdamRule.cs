using System.Numerics;

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
    private int _step;

    public MlpAdamRule(MlpOptions options, IReadOnlyList<Tensor> parameters) : base(options.LearningRateInit)
    {
        _options = options;
        _first = [.. parameters.Select(p => new T[p.Length])];
        _second = [.. parameters.Select(p => new T[p.Length])];
    }

    public override void Update(IReadOnlyList<Tensor> parameters)
    {
        _step++;
        double beta1 = _options.Beta1, beta2 = _options.Beta2;
        LearningRate = _options.LearningRateInit * Math.Sqrt(1 - Math.Pow(beta2, _step)) / (1 - Math.Pow(beta1, _step));
        var step = new Constants(T.CreateChecked(beta1), T.CreateChecked(beta2), T.CreateChecked(1 - beta1), T.CreateChecked(1 - beta2),
            T.CreateChecked(-LearningRate), T.CreateChecked(_options.Epsilon));
        for (int i = 0; i < parameters.Count; i++)
            FusedUpdate(parameters[i].Span<T>(), parameters[i].Grad!.Span<T>(), _first[i], _second[i], step);
    }

    /// <summary>The constants of one step, as the element type: β₁, β₂, 1 − β₁, 1 − β₂ (rounded from Float64, as NumPy's), −ηₜ and ε.</summary>
    private readonly record struct Constants(T Beta1, T Beta2, T Rest1, T Rest2, T Rate, T Epsilon);

    /// <summary>
    /// The whole step in one pass over the elements (one read and write of W, m and v instead of a
    /// dozen passes), in NumPy's order and roundings, none fused: m = β₁·m + (1 − β₁)·g,
    /// v = β₂·v + (1 − β₂)·g², W += (−ηₜ·m) / (√v + ε).
    /// </summary>
    private static void FusedUpdate(Span<T> w, ReadOnlySpan<T> g, Span<T> m, Span<T> v, in Constants c)
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<T> beta1 = new(c.Beta1), beta2 = new(c.Beta2), rest1 = new(c.Rest1), rest2 = new(c.Rest2), rate = new(c.Rate), epsilon = new(c.Epsilon);
            for (; j <= w.Length - Vector<T>.Count; j += Vector<T>.Count)
            {
                var grad = new Vector<T>(g[j..]);
                var first = beta1 * new Vector<T>(m[j..]) + rest1 * grad;
                var second = beta2 * new Vector<T>(v[j..]) + rest2 * (grad * grad);
                (new Vector<T>(w[j..]) + rate * first / (Vector.SquareRoot(second) + epsilon)).CopyTo(w[j..]);
                first.CopyTo(m[j..]);
                second.CopyTo(v[j..]);
            }
        }
        for (; j < w.Length; j++)
        {
            m[j] = c.Beta1 * m[j] + c.Rest1 * g[j];
            v[j] = c.Beta2 * v[j] + c.Rest2 * (g[j] * g[j]);
            w[j] += c.Rate * m[j] / (T.Sqrt(v[j]) + c.Epsilon);
        }
    }
}
