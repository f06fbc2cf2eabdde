using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Kernels;

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
/// With <see cref="AdamEpsilonPlacement.RawMoment"/> (scikit-learn's MLP, TensorFlow) the last line is instead
/// <code>
/// lrₜ = lr·√(1 − beta2ᵗ)/(1 − beta1ᵗ)
/// p = p + (−lrₜ·m) / (√v̂ + eps)
/// </code>
/// and, without AMSGrad, the moments are updated in NumPy's order and roundings,
/// m = beta1·m + (1 − beta1)·g and v = beta2·v + (1 − beta2)·(g·g), so that the steps equal
/// scikit-learn's <c>AdamOptimizer</c>'s to the last bit.
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
    /// <param name="epsilonPlacement">Where eps is added: to the bias-corrected root (PyTorch, the default) or to the raw one (scikit-learn's MLP, TensorFlow).</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    public Adam(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0, bool amsgrad = false, bool maximize = false,
        AdamEpsilonPlacement epsilonPlacement = AdamEpsilonPlacement.CorrectedMoment)
        : this(parameters, learningRate, beta1, beta2, eps, weightDecay, amsgrad, maximize, decoupledWeightDecay: false, epsilonPlacement)
    {
    }

    private protected Adam(IEnumerable<Tensor> parameters, double learningRate, double beta1, double beta2,
        double eps, double weightDecay, bool amsgrad, bool maximize, bool decoupledWeightDecay,
        AdamEpsilonPlacement epsilonPlacement = AdamEpsilonPlacement.CorrectedMoment)
        : base(parameters, learningRate, ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"], countsSteps: true)
    {
        if (!Enum.IsDefined(epsilonPlacement))
            throw new ArgumentOutOfRangeException(nameof(epsilonPlacement), $"epsilon placement must be CorrectedMoment or RawMoment, got {epsilonPlacement}");
        EpsilonPlacement = epsilonPlacement;
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

    /// <summary>Where <see cref="Eps"/> is added: to the bias-corrected root (PyTorch) or to the raw one (scikit-learn's MLP).</summary>
    public AdamEpsilonPlacement EpsilonPlacement { get; }

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
        bool raw = EpsilonPlacement == AdamEpsilonPlacement.RawMoment;
        T beta1 = T.CreateTruncating(_beta1), beta2 = T.CreateTruncating(Beta2), eps = T.CreateTruncating(Eps);
        // Raw: the corrections folded into the step size, lrₜ = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ) in scikit-learn's order, and √v divided by 1.
        T negStepSize = T.CreateTruncating(raw ? -(LearningRate * biasCorrection2Sqrt / biasCorrection1) : -(LearningRate / biasCorrection1));
        T biasCorrection2Root = raw ? T.One : T.CreateTruncating(biasCorrection2Sqrt);
        T l2 = T.CreateTruncating(_decoupledWeightDecay ? 0 : WeightDecay);
        T shrink = T.CreateTruncating(1 - LearningRate * WeightDecay);

        if (!Amsgrad)
        {
            var constants = new AdamStep<T>(beta1, beta2, eps, negStepSize, biasCorrection2Root,
                l2, _decoupledWeightDecay && WeightDecay != 0 ? shrink : T.One, Maximize);
            T rest1 = T.CreateTruncating(1 - _beta1), rest2 = T.CreateTruncating(1 - Beta2);
            int chunks = (param.Length + Elementwise.ChunkSize - 1) / Elementwise.ChunkSize;
            if (chunks == 1 || Parallelism.MaxDegreeOfParallelism == 1 || param.Length < Elementwise.ParallelThreshold)
            {
                if (raw) FusedRawUpdate(param, grad, expAvg, expAvgSq, constants, rest1, rest2);
                else FusedUpdate(param, grad, expAvg, expAvgSq, constants);
                return;
            }
            var job = ChunkedUpdate<T>.For(this);
            job.Start(parameter, gradient, Buffer(index, ExpAvg), Buffer(index, ExpAvgSq), constants, raw, rest1, rest2);
            try
            {
                Parallelism.For(chunks, job.RunChunk);
            }
            finally
            {
                job.Finish();
            }
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
            var rest1 = new Vector<T>(oneMinusBeta1);
            var rest2 = new Vector<T>(oneMinusBeta2);
            var l2 = new Vector<T>(s.L2);
            var shrink = new Vector<T>(s.Shrink);
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

    /// <summary>
    /// The <see cref="AdamEpsilonPlacement.RawMoment"/> update (without AMSGrad): the gradient
    /// negated or weight-decayed and the parameter shrunk first, chunk by chunk, when those options
    /// are on, then <see cref="RawMomentStep{T}"/>.
    /// </summary>
    private static void FusedRawUpdate<T>(Span<T> p, ReadOnlySpan<T> grad, Span<T> m, Span<T> v, in AdamStep<T> s, T rest1, T rest2)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!s.Maximize && s.L2 == T.Zero && s.Shrink == T.One)
        {
            RawMomentStep(p, grad, m, v, s, rest1, rest2);
            return;
        }
        Span<T> work = stackalloc T[UpdateChunks.Size];
        for (int start = 0; start < p.Length; start += UpdateChunks.Size)
        {
            int n = Math.Min(UpdateChunks.Size, p.Length - start);
            var chunk = p.Slice(start, n);
            UpdateChunks.Gradient(grad.Slice(start, n), chunk, s.Maximize, s.L2, work[..n]);
            if (s.Shrink != T.One) TensorPrimitives.Multiply(chunk, s.Shrink, chunk);
            RawMomentStep(chunk, work[..n], m.Slice(start, n), v.Slice(start, n), s, rest1, rest2);
        }
    }

    /// <summary>
    /// One raw-moment step in one pass, in the order and roundings of scikit-learn's NumPy code, none
    /// fused: m = β₁·m + (1 − β₁)·g, v = β₂·v + (1 − β₂)·(g·g), p = p + (−lrₜ·m)/(√v + ε), with
    /// 1 − β₁ and 1 − β₂ rounded from Float64 (<paramref name="rest1"/>, <paramref name="rest2"/>) as
    /// NumPy rounds a Python float.
    /// </summary>
    private static void RawMomentStep<T>(Span<T> p, ReadOnlySpan<T> g, Span<T> m, Span<T> v, in AdamStep<T> s, T rest1, T rest2)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<T> beta1 = new(s.Beta1), beta2 = new(s.Beta2), first = new(rest1), second = new(rest2);
            Vector<T> eps = new(s.Eps), step = new(s.NegStepSize);
            for (; i <= p.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var gradient = new Vector<T>(g[i..]);
                var average = beta1 * new Vector<T>(m[i..]) + first * gradient;
                var squares = beta2 * new Vector<T>(v[i..]) + second * (gradient * gradient);
                (new Vector<T>(p[i..]) + step * average / (Vector.SquareRoot(squares) + eps)).CopyTo(p[i..]);
                average.CopyTo(m[i..]);
                squares.CopyTo(v[i..]);
            }
        }
        for (; i < p.Length; i++)
        {
            m[i] = s.Beta1 * m[i] + rest1 * g[i];
            v[i] = s.Beta2 * v[i] + rest2 * (g[i] * g[i]);
            p[i] += s.NegStepSize * m[i] / (T.Sqrt(v[i]) + s.Eps);
        }
    }

    private object? _chunkedFloat, _chunkedDouble;

    /// <summary>
    /// One large parameter's update cut into fixed chunks for several threads. Each element's update
    /// reads only that element, so the chunks give the same bits on any number of threads. Kept per
    /// optimizer and element type so a step allocates nothing (no closure per parameter).
    /// </summary>
    private sealed class ChunkedUpdate<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private Tensor? _parameter, _gradient, _expAvg, _expAvgSq;
        private AdamStep<T> _step;
        private bool _raw;
        private T _rest1, _rest2;

        private ChunkedUpdate() => RunChunk = Run;

        /// <summary>Updates chunk i (elements [i·ChunkSize, (i + 1)·ChunkSize)) of the current parameter.</summary>
        public Action<int> RunChunk { get; }

        public static ChunkedUpdate<T> For(Adam owner) => typeof(T) == typeof(float)
            ? (ChunkedUpdate<T>)(owner._chunkedFloat ??= new ChunkedUpdate<float>())
            : (ChunkedUpdate<T>)(owner._chunkedDouble ??= new ChunkedUpdate<double>());

        public void Start(Tensor parameter, Tensor gradient, Tensor expAvg, Tensor expAvgSq, in AdamStep<T> step, bool raw, T rest1, T rest2)
        {
            (_parameter, _gradient, _expAvg, _expAvgSq) = (parameter, gradient, expAvg, expAvgSq);
            (_step, _raw, _rest1, _rest2) = (step, raw, rest1, rest2);
        }

        /// <summary>Drops the tensors, so the optimizer does not keep a parameter's gradient alive.</summary>
        public void Finish() => _parameter = _gradient = _expAvg = _expAvgSq = null;

        private void Run(int chunk)
        {
            int start = chunk * Elementwise.ChunkSize;
            int length = Math.Min(Elementwise.ChunkSize, _parameter!.Length - start);
            var p = _parameter.Span<T>().Slice(start, length);
            ReadOnlySpan<T> g = _gradient!.Span<T>().Slice(start, length);
            var m = _expAvg!.Span<T>().Slice(start, length);
            var v = _expAvgSq!.Span<T>().Slice(start, length);
            if (_raw) FusedRawUpdate(p, g, m, v, _step, _rest1, _rest2);
            else FusedUpdate(p, g, m, v, _step);
        }
    }

    private protected override bool RequiresBuffer(int slot, double momentum) => slot != MaxExpAvgSq || Amsgrad;
}
