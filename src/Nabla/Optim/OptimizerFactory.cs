namespace Nabla.Optim;

/// <summary>Builds an optimizer from its <see cref="OptimizerKind"/>, with the library's other defaults.</summary>
public static class OptimizerFactory
{
    /// <summary>The momentum of <see cref="OptimizerKind.Momentum"/>, the customary value.</summary>
    public const double Momentum = 0.9;

    /// <summary>
    /// The optimizer of <paramref name="kind"/> over <paramref name="parameters"/>. L-BFGS searches
    /// along each direction for a step that satisfies the strong Wolfe conditions, which keeps its
    /// full steps (learning rate 1) safe on badly scaled problems, as scikit-learn's lbfgs solver does.
    /// </summary>
    /// <param name="kind">Which optimizer.</param>
    /// <param name="parameters">The tensors it updates.</param>
    /// <param name="learningRate">The step size; each optimizer checks its range.</param>
    /// <param name="weightDecay">
    /// The weight decay (≥ 0; 0, the default, for none). For <see cref="OptimizerKind.Adam"/> a positive one
    /// gives <see cref="AdamW"/>, whose decay is decoupled from the adaptive step (PyTorch's AdamW), since
    /// an L2 term added to Adam's gradient is scaled down where gradients are large; for the SGD family,
    /// RMSprop and Adagrad it is their own L2 term added to the gradient (PyTorch's <c>weight_decay</c>).
    /// L-BFGS takes none.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined kind, the learning rate is out of the optimizer's
    /// range, the weight decay is negative or not finite, or it is positive for L-BFGS.</exception>
    public static Optimizer Create(OptimizerKind kind, IEnumerable<Tensor> parameters, double learningRate, double weightDecay = 0)
    {
        if (!(weightDecay >= 0 && double.IsFinite(weightDecay)))
            throw new ArgumentOutOfRangeException(nameof(weightDecay), $"OptimizerFactory.Create: weight decay must be finite and at least 0, got {Hyperparameters.Format(weightDecay)}");
        if (kind == OptimizerKind.Lbfgs && weightDecay != 0)
            throw new ArgumentOutOfRangeException(nameof(weightDecay), $"OptimizerFactory.Create: L-BFGS has no weight decay, got {Hyperparameters.Format(weightDecay)}; add the penalty to the loss instead.");
        return kind switch
        {
            OptimizerKind.Sgd => new Sgd(parameters, learningRate, weightDecay: weightDecay),
            OptimizerKind.Momentum => new Sgd(parameters, learningRate, momentum: Momentum, weightDecay: weightDecay),
            OptimizerKind.Adam => weightDecay > 0 ? new AdamW(parameters, learningRate, weightDecay: weightDecay) : new Adam(parameters, learningRate),
            OptimizerKind.Rmsprop => new RmsProp(parameters, learningRate, weightDecay: weightDecay),
            OptimizerKind.Adagrad => new Adagrad(parameters, learningRate, weightDecay: weightDecay),
            OptimizerKind.Lbfgs => new Lbfgs(parameters, learningRate, historySize: LbfgsHistorySize, lineSearch: LineSearch.StrongWolfe),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "OptimizerFactory.Create: unknown optimizer kind."),
        };
    }

    /// <summary>
    /// The bytes of state the optimizer <see cref="Create"/> builds keeps per parameter value, for
    /// counting a training run's memory before starting it: Adam's two moments, the velocity of
    /// momentum, RMSprop's and Adagrad's one average, none for plain SGD; L-BFGS's history of steps
    /// and gradient changes (two Float64 vectors per entry) with its direction and gradients.
    /// </summary>
    /// <param name="kind">Which optimizer.</param>
    /// <param name="dtype">The parameters' type (L-BFGS keeps Float64 whatever it is).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined kind.</exception>
    public static long StateBytesPerParameter(OptimizerKind kind, DType dtype)
    {
        int value = dtype == DType.Float64 ? sizeof(double) : sizeof(float);
        return kind switch
        {
            OptimizerKind.Sgd => 0,
            OptimizerKind.Momentum or OptimizerKind.Rmsprop or OptimizerKind.Adagrad => value,
            OptimizerKind.Adam => 2 * value,
            // The history, plus the direction, the previous and current gradients and the line search's copies.
            OptimizerKind.Lbfgs => (2 * LbfgsHistorySize + 6) * sizeof(double),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "OptimizerFactory.StateBytesPerParameter: unknown optimizer kind."),
        };
    }

    /// <summary>The history size of the L-BFGS <see cref="Create"/> builds: PyTorch's default, as the constructor's.</summary>
    private const int LbfgsHistorySize = 100;
}
