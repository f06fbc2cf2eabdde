using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Optim;

/// <summary>
/// RMSprop: steps scaled by a moving root mean square of the gradients, optionally centered and with
/// momentum, as <c>torch.optim.RMSprop</c> (PyTorch 1.13).
/// </summary>
/// <remarks>
/// Per parameter p with gradient g (−g when maximizing):
/// <code>
/// g = g + weightDecay·p
/// v = alpha·v + (1 − alpha)·g²
/// if centered:  m = alpha·m + (1 − alpha)·g;  a = √(v − m²) + eps   else  a = √v + eps
/// if momentum &gt; 0:  b = momentum·b + g/a;  p = p − lr·b           else  p = p − lr·g/a
/// </code>
/// </remarks>
public sealed class RmsProp : Optimizer, IMomentumOptimizer
{
    private const int SquareAverage = 0, MomentumBuffer = 1, GradientAverage = 2;
    private double _momentum;

    /// <summary>Creates the optimizer; every setting is checked here.</summary>
    /// <param name="parameters">The tensors to optimize.</param>
    /// <param name="learningRate">Step size (≥ 0).</param>
    /// <param name="alpha">Smoothing constant of the averages, in [0, 1].</param>
    /// <param name="eps">Added to the denominator for numerical stability (≥ 0).</param>
    /// <param name="weightDecay">L2 penalty coefficient (≥ 0).</param>
    /// <param name="momentum">Momentum factor in [0, 1); 0 turns momentum off.</param>
    /// <param name="centered">Divide by the estimated standard deviation instead of the root mean square.</param>
    /// <param name="maximize">Ascend the objective instead of descending.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    public RmsProp(IEnumerable<Tensor> parameters, double learningRate = 1e-2, double alpha = 0.99, double eps = 1e-8,
        double weightDecay = 0, double momentum = 0, bool centered = false, bool maximize = false)
        : base(parameters, learningRate, ["square_avg", "momentum_buffer", "grad_avg"], countsSteps: true)
    {
        Alpha = Hyperparameters.Fraction(alpha, "alpha", nameof(alpha));
        Eps = Hyperparameters.NonNegative(eps, "eps", nameof(eps));
        WeightDecay = Hyperparameters.NonNegative(weightDecay, "weight decay", nameof(weightDecay));
        Momentum = Hyperparameters.InUnitInterval(momentum, "momentum", nameof(momentum));
        Centered = centered;
        Maximize = maximize;
    }

    /// <summary>Smoothing constant of the moving averages.</summary>
    public double Alpha { get; }

    /// <summary>Added to the denominator for numerical stability.</summary>
    public double Eps { get; }

    /// <summary>L2 penalty coefficient added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>The momentum factor in [0, 1); <c>OneCycleLR</c> may cycle it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [0, 1).</exception>
    public double Momentum
    {
        get => _momentum;
        set => _momentum = Hyperparameters.InUnitInterval(value, "momentum", nameof(Momentum));
    }

    /// <summary>Whether the denominator is the centered (variance) estimate.</summary>
    public bool Centered { get; }

    /// <summary>Whether the optimizer ascends the objective.</summary>
    public bool Maximize { get; }

    /// <inheritdoc />
    public override void Step() => UpdateEachParameter();

    private protected override void Update(int index, Tensor parameter, Tensor gradient)
    {
        if (parameter.DType == DType.Float32) Update<float>(index, parameter, gradient);
        else Update<double>(index, parameter, gradient);
    }

    private void Update<T>(int index, Tensor parameter, Tensor gradient) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> squareAverage = Buffer(index, SquareAverage).Span<T>();
        Span<T> gradientAverage = Centered ? Buffer(index, GradientAverage).Span<T>() : default;
        Span<T> buffer = _momentum > 0 ? Buffer(index, MomentumBuffer).Span<T>() : default;
        Span<T> param = parameter.Span<T>();
        ReadOnlySpan<T> grad = gradient.Span<T>();
        T alpha = T.CreateTruncating(Alpha), eps = T.CreateTruncating(Eps), decay = T.CreateTruncating(WeightDecay);
        T momentum = T.CreateTruncating(_momentum), negLr = T.CreateTruncating(-LearningRate);
        Span<T> work = stackalloc T[UpdateChunks.Size];
        Span<T> root = stackalloc T[UpdateChunks.Size];
        for (int start = 0; start < param.Length; start += UpdateChunks.Size)
        {
            int n = Math.Min(UpdateChunks.Size, param.Length - start);
            var p = param.Slice(start, n);
            var v = squareAverage.Slice(start, n);
            var g = work[..n];
            var a = root[..n];
            UpdateChunks.Gradient(grad.Slice(start, n), p, Maximize, decay, g);
            UpdateChunks.AverageOfSquares(v, alpha, g, a);
            if (Centered)
            {
                var m = gradientAverage.Slice(start, n);
                UpdateChunks.Average(m, alpha, g);
                TensorPrimitives.Multiply(m, m, a);
                TensorPrimitives.Subtract(v, a, a);
                TensorPrimitives.Sqrt(a, a);
            }
            else
            {
                TensorPrimitives.Sqrt(v, a);
            }
            TensorPrimitives.Add(a, eps, a);
            if (_momentum > 0)
            {
                var b = buffer.Slice(start, n);
                TensorPrimitives.Multiply(b, momentum, b);
                TensorPrimitives.Divide(g, a, a);
                TensorPrimitives.Add(b, a, b);
                TensorPrimitives.MultiplyAdd(b, negLr, p, p);
            }
            else
            {
                UpdateChunks.AddScaledQuotient(p, negLr, g, a);
            }
        }
    }

    private protected override bool RequiresBuffer(int slot, double momentum) => slot switch
    {
        SquareAverage => true,
        MomentumBuffer => momentum > 0,
        _ => Centered,
    };
}
