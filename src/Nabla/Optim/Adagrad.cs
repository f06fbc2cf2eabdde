using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Optim;

/// <summary>
/// Adagrad: each coordinate's step is scaled by the root of its accumulated squared gradients, as
/// <c>torch.optim.Adagrad</c> (PyTorch 1.13).
/// </summary>
/// <remarks>
/// Per parameter p with gradient g (−g when maximizing), at step t:
/// <code>
/// g   = g + weightDecay·p
/// lrₜ = lr / (1 + (t − 1)·lrDecay)
/// s   = s + g²                       (s starts at initialAccumulatorValue)
/// p   = p − lrₜ·g / (√s + eps)
/// </code>
/// </remarks>
public sealed class Adagrad : Optimizer
{
    private const int Sum = 0;

    /// <summary>Creates the optimizer; every setting is checked here.</summary>
    /// <param name="parameters">The tensors to optimize.</param>
    /// <param name="learningRate">Step size (≥ 0).</param>
    /// <param name="learningRateDecay">Decay of the step size per step (≥ 0).</param>
    /// <param name="weightDecay">L2 penalty coefficient (≥ 0).</param>
    /// <param name="initialAccumulatorValue">Starting value of the sum of squares (≥ 0).</param>
    /// <param name="eps">Added to the denominator for numerical stability (≥ 0).</param>
    /// <param name="maximize">Ascend the objective instead of descending.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    public Adagrad(IEnumerable<Tensor> parameters, double learningRate = 1e-2, double learningRateDecay = 0, double weightDecay = 0,
        double initialAccumulatorValue = 0, double eps = 1e-10, bool maximize = false)
        : base(parameters, learningRate, ["sum"], countsSteps: true)
    {
        LearningRateDecay = Hyperparameters.NonNegative(learningRateDecay, "learning rate decay", nameof(learningRateDecay));
        WeightDecay = Hyperparameters.NonNegative(weightDecay, "weight decay", nameof(weightDecay));
        InitialAccumulatorValue = Hyperparameters.NonNegative(initialAccumulatorValue, "initial accumulator value", nameof(initialAccumulatorValue));
        Eps = Hyperparameters.NonNegative(eps, "eps", nameof(eps));
        Maximize = maximize;
    }

    /// <summary>Decay of the step size per step.</summary>
    public double LearningRateDecay { get; }

    /// <summary>L2 penalty coefficient added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>Starting value of the sum of squared gradients.</summary>
    public double InitialAccumulatorValue { get; }

    /// <summary>Added to the denominator for numerical stability.</summary>
    public double Eps { get; }

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
        Span<T> sum = Buffer(index, Sum, InitialAccumulatorValue).Span<T>();
        Span<T> param = parameter.Span<T>();
        ReadOnlySpan<T> grad = gradient.Span<T>();
        double stepSize = LearningRate / (1 + (StepsOf(index) - 1) * LearningRateDecay);
        T decay = T.CreateTruncating(WeightDecay), eps = T.CreateTruncating(Eps), negStep = T.CreateTruncating(-stepSize);
        Span<T> work = stackalloc T[UpdateChunks.Size];
        Span<T> std = stackalloc T[UpdateChunks.Size];
        for (int start = 0; start < param.Length; start += UpdateChunks.Size)
        {
            int n = Math.Min(UpdateChunks.Size, param.Length - start);
            var p = param.Slice(start, n);
            var s = sum.Slice(start, n);
            var g = work[..n];
            var denominator = std[..n];
            UpdateChunks.Gradient(grad.Slice(start, n), p, Maximize, decay, g);
            TensorPrimitives.MultiplyAdd(g, g, s, s);
            TensorPrimitives.Sqrt(s, denominator);
            TensorPrimitives.Add(denominator, eps, denominator);
            UpdateChunks.AddScaledQuotient(p, negStep, g, denominator);
        }
    }
}
