using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Optim;

/// <summary>
/// Adam: steps from bias-corrected moving averages of the gradient and its square, with optional
/// L2 weight decay (added to the gradient) and the AMSGrad variant, as <c>torch.optim.Adam</c>
/// (PyTorch 1.13). <see cref="AdamW"/> is the same with decoupled weight decay.
/// </summary>
/// <remarks>
/// Per parameter p with gradient g (−g when maximizing), at step t:
/// <code>
/// g = g + weightDecay·p                     (AdamW instead: p = p·(1 − lr·weightDecay))
/// m = beta1·m + (1 − beta1)·g
/// v = beta2·v + (1 − beta2)·g²
/// v̂ = amsgrad ? (vmax = max(vmax, v)) : v
/// p = p − lr/(1 − beta1ᵗ) · m / (√v̂ / √(1 − beta2ᵗ) + eps)
/// </code>
/// </remarks>
public class Adam : Optimizer, IMomentumOptimizer
{
    private const int ExpAvg = 0, ExpAvgSq = 1, MaxExpAvgSq = 2;
    private readonly bool _decoupledWeightDecay;
    private double _beta1;

    /// <summary>Creates the optimizer; every setting is checked here.</summary>
    /// <param name="parameters">The tensors to optimize.</param>
    /// <param name="learningRate">Step size (≥ 0).</param>
    /// <param name="beta1">Decay of the gradient average, in [0, 1).</param>
    /// <param name="beta2">Decay of the squared-gradient average, in [0, 1).</param>
    /// <param name="eps">Added to the denominator for numerical stability (≥ 0).</param>
    /// <param name="weightDecay">L2 penalty coefficient added to the gradient (≥ 0).</param>
    /// <param name="amsgrad">Use the maximum of the squared-gradient averages so far (AMSGrad).</param>
    /// <param name="maximize">Ascend the objective instead of descending.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    public Adam(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0, bool amsgrad = false, bool maximize = false)
        : this(parameters, learningRate, beta1, beta2, eps, weightDecay, amsgrad, maximize, decoupledWeightDecay: false)
    {
    }

    private protected Adam(IEnumerable<Tensor> parameters, double learningRate, double beta1, double beta2,
        double eps, double weightDecay, bool amsgrad, bool maximize, bool decoupledWeightDecay)
        : base(parameters, learningRate, ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"], countsSteps: true)
    {
        Beta1 = Hyperparameters.InUnitInterval(beta1, "beta1", nameof(beta1));
        Beta2 = Hyperparameters.InUnitInterval(beta2, "beta2", nameof(beta2));
        Eps = Hyperparameters.NonNegative(eps, "eps", nameof(eps));
        WeightDecay = Hyperparameters.NonNegative(weightDecay, "weight decay", nameof(weightDecay));
        Amsgrad = amsgrad;
        Maximize = maximize;
        _decoupledWeightDecay = decoupledWeightDecay;
    }

    /// <summary>Decay of the gradient average, in [0, 1); <c>OneCycleLR</c> may cycle it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [0, 1).</exception>
    public double Beta1
    {
        get => _beta1;
        set => _beta1 = Hyperparameters.InUnitInterval(value, "beta1", nameof(Beta1));
    }

    /// <summary>Decay of the squared-gradient average.</summary>
    public double Beta2 { get; }

    /// <summary>Added to the denominator for numerical stability.</summary>
    public double Eps { get; }

    /// <summary>Weight decay coefficient: an L2 penalty for Adam, a decoupled shrinkage for AdamW.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether the AMSGrad variant is used.</summary>
    public bool Amsgrad { get; }

    /// <summary>Whether the optimizer ascends the objective.</summary>
    public bool Maximize { get; }

    /// <summary>Beta1, the momentum that <c>OneCycleLR</c> cycles.</summary>
    double IMomentumOptimizer.Momentum
    {
        get => Beta1;
        set => Beta1 = value;
    }

    private protected override void Update<T>(int index, Tensor parameter, Tensor gradient)
    {
        Span<T> expAvg = Buffer(index, ExpAvg).Span<T>();
        Span<T> expAvgSq = Buffer(index, ExpAvgSq).Span<T>();
        Span<T> maxExpAvgSq = Amsgrad ? Buffer(index, MaxExpAvgSq).Span<T>() : default;
        Span<T> param = parameter.Span<T>();
        ReadOnlySpan<T> grad = gradient.Span<T>();

        long step = StepsOf(index);
        double biasCorrection1 = 1 - Math.Pow(_beta1, step);
        double biasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, step));
        T beta1 = T.CreateTruncating(_beta1), beta2 = T.CreateTruncating(Beta2), eps = T.CreateTruncating(Eps);
        T negStepSize = T.CreateTruncating(-(LearningRate / biasCorrection1));
        T biasCorrection2Root = T.CreateTruncating(biasCorrection2Sqrt);
        T l2 = T.CreateTruncating(_decoupledWeightDecay ? 0 : WeightDecay);
        T shrink = T.CreateTruncating(1 - LearningRate * WeightDecay);

        if (!Amsgrad)
        {
            FusedUpdate(param, grad, expAvg, expAvgSq, new AdamStep<T>(beta1, beta2, eps, negStepSize, biasCorrection2Root,
                l2, _decoupledWeightDecay && WeightDecay != 0 ? shrink : T.One, Maximize));
            return;
        }

        Span<T> work = stackalloc T[UpdateChunks.Size];
        Span<T> denominatorChunk = stackalloc T[UpdateChunks.Size];
        for (int start = 0; start < param.Length; start += UpdateChunks.Size)
        {
            int n = Math.Min(UpdateChunks.Size, param.Length - start);
            var p = param.Slice(start, n);
            var m = expAvg.Slice(start, n);
            var v = expAvgSq.Slice(start, n);
            var g = work[..n];
            var denominator = denominatorChunk[..n];
            UpdateChunks.Gradient(grad.Slice(start, n), p, Maximize, l2, g);
            if (_decoupledWeightDecay && WeightDecay != 0) TensorPrimitives.Multiply(p, shrink, p);
            UpdateChunks.Average(m, beta1, g);
            UpdateChunks.AverageOfSquares(v, beta2, g, denominator);
            if (Amsgrad)
            {
                var vMax = maxExpAvgSq.Slice(start, n);
                TensorPrimitives.Max(vMax, v, vMax);
                TensorPrimitives.Sqrt(vMax, denominator);
            }
            else
            {
                TensorPrimitives.Sqrt(v, denominator);
            }
            TensorPrimitives.Divide(denominator, biasCorrection2Root, denominator);
            TensorPrimitives.Add(denominator, eps, denominator);
            UpdateChunks.AddScaledQuotient(p, negStepSize, m, denominator);
        }
    }

    /// <summary>The constants of one Adam step, as the element type.</summary>
    private readonly record struct AdamStep<T>(T Beta1, T Beta2, T Eps, T NegStepSize, T BiasCorrection2Root, T L2, T Shrink, bool Maximize)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// The whole update (without AMSGrad) in one pass over the elements, with the operations and
    /// roundings of the chunked passes of the AMSGrad path (none fused): one read and one write of
    /// p, m and v instead of a dozen passes, which made Adam the largest part of a small model's step.
    /// </summary>
    private static void FusedUpdate<T>(Span<T> p, ReadOnlySpan<T> grad, Span<T> m, Span<T> v, in AdamStep<T> s)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T oneMinusBeta1 = T.One - s.Beta1, oneMinusBeta2 = T.One - s.Beta2;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var beta1 = new Vector<T>(s.Beta1);
            var beta2 = new Vector<T>(s.Beta2);
            var eps = new Vector<T>(s.Eps);
            var step = new Vector<T>(s.NegStepSize);
            var root = new Vector<T>(s.BiasCorrection2Root);
            var l2 = new Vector<T>(s.L2);
            var shrink = new Vector<T>(s.Shrink);
            var rest1 = new Vector<T>(oneMinusBeta1);
            var rest2 = new Vector<T>(oneMinusBeta2);
            for (; i <= p.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var g = new Vector<T>(grad[i..]);
                var param = new Vector<T>(p[i..]);
                if (s.Maximize) g = -g;
                if (s.L2 != T.Zero) g = param * l2 + g;
                if (s.Shrink != T.One) param *= shrink;
                var average = new Vector<T>(m[i..]) * beta1 + g * rest1;
                var squares = new Vector<T>(v[i..]) * beta2 + g * rest2 * g;
                var denominator = Vector.SquareRoot(squares) / root + eps;
                (average / denominator * step + param).CopyTo(p[i..]);
                average.CopyTo(m[i..]);
                squares.CopyTo(v[i..]);
            }
        }
        for (; i < p.Length; i++)
        {
            T g = s.Maximize ? -grad[i] : grad[i];
            if (s.L2 != T.Zero) g = p[i] * s.L2 + g;
            T param = s.Shrink != T.One ? p[i] * s.Shrink : p[i];
            m[i] = m[i] * s.Beta1 + g * oneMinusBeta1;
            v[i] = v[i] * s.Beta2 + g * oneMinusBeta2 * g;
            T denominator = T.Sqrt(v[i]) / s.BiasCorrection2Root + s.Eps;
            p[i] = m[i] / denominator * s.NegStepSize + param;
        }
    }

    private protected override bool RequiresBuffer(int slot, double momentum) => slot != MaxExpAvgSq || Amsgrad;
}
