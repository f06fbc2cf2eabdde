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
/// With <see cref="SgdMomentumForm.Velocity"/> (scikit-learn's MLP), in NumPy's order and roundings:
/// <code>
/// d = g + weightDecay·p
/// v = momentum·v − lr·d                     (v starts at 0)
/// p = p + (nesterov ? momentum·v − lr·d : v)
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
    /// <param name="momentumForm">
    /// How the momentum is kept: a sum of gradients (PyTorch, the default) or a velocity of steps
    /// (scikit-learn's MLP), whose state is saved as "velocity"; the velocity form also accepts a momentum of 1 and needs dampening 0.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    /// <exception cref="ArgumentException">Nesterov without momentum, or with dampening; dampening with the velocity form; or a bad parameter list.</exception>
    public Sgd(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false, bool maximize = false, SgdMomentumForm momentumForm = SgdMomentumForm.Gradient)
        : base(parameters, learningRate, [momentumForm == SgdMomentumForm.Velocity ? "velocity" : "momentum_buffer"], countsSteps: false)
    {
        if (!Enum.IsDefined(momentumForm))
            throw new ArgumentOutOfRangeException(nameof(momentumForm), $"momentum form must be Gradient or Velocity, got {momentumForm}");
        MomentumForm = momentumForm;
        _momentum = CheckMomentum(momentum, nameof(momentum));
        Dampening = Hyperparameters.Fraction(dampening, "dampening", nameof(dampening));
        if (momentumForm == SgdMomentumForm.Velocity && dampening != 0)
            throw new ArgumentException($"dampening applies to the gradient form of momentum only; the velocity form needs dampening 0, got {Hyperparameters.Format(dampening)}", nameof(dampening));
        WeightDecay = Hyperparameters.NonNegative(weightDecay, "weight decay", nameof(weightDecay));
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException($"Nesterov momentum needs momentum > 0 and dampening 0, got momentum {Hyperparameters.Format(momentum)} and dampening {Hyperparameters.Format(dampening)}", nameof(nesterov));
        Nesterov = nesterov;
        Maximize = maximize;
    }

    /// <summary>The momentum factor in [0, 1) ([0, 1] with the velocity form); <c>OneCycleLR</c> may cycle it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside its range.</exception>
    public double Momentum
    {
        get => _momentum;
        set => _momentum = CheckMomentum(value, nameof(Momentum));
    }

    private double CheckMomentum(double value, string paramName) => MomentumForm == SgdMomentumForm.Velocity
        ? Hyperparameters.Fraction(value, "momentum", paramName)
        : Hyperparameters.InUnitInterval(value, "momentum", paramName);

    /// <summary>How the momentum is kept: a sum of gradients (PyTorch) or a velocity of steps (scikit-learn's MLP).</summary>
    public SgdMomentumForm MomentumForm { get; }

    /// <summary>Dampening of the momentum.</summary>
    public double Dampening { get; }

    /// <summary>L2 penalty coefficient added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether the step uses Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <summary>Whether the optimizer ascends the objective.</summary>
    public bool Maximize { get; }

    private protected override void Update<T>(int index, Tensor parameter, Tensor gradient)
    {
        if (MomentumForm == SgdMomentumForm.Velocity)
        {
            VelocityUpdate(parameter.Span<T>(), gradient.Span<T>(), _momentum != 0 ? Buffer(index, MomentumBuffer).Span<T>() : default,
                new VelocityStep<T>(T.CreateTruncating(_momentum), T.CreateTruncating(LearningRate), T.CreateTruncating(WeightDecay), Nesterov, Maximize));
            return;
        }
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

    /// <summary>The constants of one velocity-form step, as the element type.</summary>
    private readonly record struct VelocityStep<T>(T Momentum, T Rate, T WeightDecay, bool Nesterov, bool Maximize)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// The velocity-form step in one pass, in scikit-learn's order and roundings, none fused:
    /// v = μ·v − η·d, then p = p + v, or p = p + μ·v − η·d with the new v (Nesterov); without
    /// momentum (<paramref name="v"/> empty) p = p + (−η·d), which is the same value.
    /// </summary>
    private static void VelocityUpdate<T>(Span<T> p, ReadOnlySpan<T> grad, Span<T> v, in VelocityStep<T> s)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool momentum = !v.IsEmpty;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<T> mu = new(s.Momentum), eta = new(s.Rate), decay = new(s.WeightDecay);
            for (; i <= p.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var param = new Vector<T>(p[i..]);
                var d = new Vector<T>(grad[i..]);
                if (s.Maximize) d = -d;
                if (s.WeightDecay != T.Zero) d = param * decay + d;
                var step = eta * d;
                if (!momentum)
                {
                    (param + -step).CopyTo(p[i..]);
                    continue;
                }
                var velocity = mu * new Vector<T>(v[i..]) - step;
                (param + (s.Nesterov ? mu * velocity - step : velocity)).CopyTo(p[i..]);
                velocity.CopyTo(v[i..]);
            }
        }
        for (; i < p.Length; i++)
        {
            T d = s.Maximize ? -grad[i] : grad[i];
            if (s.WeightDecay != T.Zero) d = p[i] * s.WeightDecay + d;
            T step = s.Rate * d;
            if (!momentum)
            {
                p[i] += -step;
                continue;
            }
            v[i] = s.Momentum * v[i] - step;
            p[i] += s.Nesterov ? s.Momentum * v[i] - step : v[i];
        }
    }

    private protected override bool RequiresBuffer(int slot, double momentum) => momentum != 0;
}
