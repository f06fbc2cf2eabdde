using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum, dampening and weight
/// decay, as <c>torch.optim.SGD</c> (PyTorch 1.13).
/// </summary>
/// <remarks>
/// Per parameter p with gradient g (−g when maximizing):
/// <code>
/// d = g + weightDecay·p
/// if momentum ≠ 0:  b = d on the first step, else b = momentum·b + (1 − dampening)·d
///                   d = nesterov ? d + momentum·b : b
/// p = p − lr·d
/// </code>
/// </remarks>
public sealed class Sgd : Optimizer, IMomentumOptimizer
{
    private const int MomentumBuffer = 0;
    private double _momentum;

    /// <summary>Creates the optimizer; every setting is checked here.</summary>
    /// <param name="parameters">The tensors to optimize.</param>
    /// <param name="learningRate">Step size (≥ 0).</param>
    /// <param name="momentum">Momentum factor in [0, 1); 0 turns momentum off.</param>
    /// <param name="dampening">Dampening of the momentum in [0, 1].</param>
    /// <param name="weightDecay">L2 penalty coefficient (≥ 0).</param>
    /// <param name="nesterov">Use Nesterov momentum (needs momentum &gt; 0 and dampening 0).</param>
    /// <param name="maximize">Ascend the objective instead of descending.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    /// <exception cref="ArgumentException">Nesterov without momentum, or with dampening; or a bad parameter list.</exception>
    public Sgd(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : base(parameters, learningRate, ["momentum_buffer"], countsSteps: false)
    {
        Momentum = Hyperparameters.InUnitInterval(momentum, "momentum", nameof(momentum));
        Dampening = Hyperparameters.Fraction(dampening, "dampening", nameof(dampening));
        WeightDecay = Hyperparameters.NonNegative(weightDecay, "weight decay", nameof(weightDecay));
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException($"Nesterov momentum needs momentum > 0 and dampening 0, got momentum {Hyperparameters.Format(momentum)} and dampening {Hyperparameters.Format(dampening)}", nameof(nesterov));
        Nesterov = nesterov;
        Maximize = maximize;
    }

    /// <summary>The momentum factor in [0, 1); <c>OneCycleLR</c> may cycle it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [0, 1).</exception>
    public double Momentum
    {
        get => _momentum;
        set => _momentum = Hyperparameters.InUnitInterval(value, "momentum", nameof(Momentum));
    }

    /// <summary>Dampening of the momentum.</summary>
    public double Dampening { get; }

    /// <summary>L2 penalty coefficient added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether the step uses Nesterov momentum.</summary>
    public bool Nesterov { get; }

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
        bool firstMomentumStep = _momentum != 0 && !HasBuffer(index, MomentumBuffer);
        Span<T> buffer = _momentum != 0 ? Buffer(index, MomentumBuffer).Span<T>() : default;
        Span<T> param = parameter.Span<T>();
        ReadOnlySpan<T> grad = gradient.Span<T>();
        T momentum = T.CreateTruncating(_momentum), decay = T.CreateTruncating(WeightDecay);
        T damped = T.CreateTruncating(1 - Dampening), negLr = T.CreateTruncating(-LearningRate);
        Span<T> work = stackalloc T[UpdateChunks.Size];
        for (int start = 0; start < param.Length; start += UpdateChunks.Size)
        {
            int n = Math.Min(UpdateChunks.Size, param.Length - start);
            var p = param.Slice(start, n);
            var d = work[..n];
            UpdateChunks.Gradient(grad.Slice(start, n), p, Maximize, decay, d);
            if (_momentum != 0)
            {
                var b = buffer.Slice(start, n);
                if (firstMomentumStep) d.CopyTo(b);
                else
                {
                    TensorPrimitives.Multiply(b, momentum, b);
                    TensorPrimitives.MultiplyAdd(d, damped, b, b);
                }
                if (Nesterov) TensorPrimitives.MultiplyAdd(b, momentum, d, d);
                else b.CopyTo(d);
            }
            TensorPrimitives.MultiplyAdd(d, negLr, p, p);
        }
    }

    private protected override bool RequiresBuffer(int slot, double momentum) => momentum != 0;
}
