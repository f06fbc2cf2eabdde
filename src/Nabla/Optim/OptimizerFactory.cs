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
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined kind, or the learning rate is out of the optimizer's range.</exception>
    public static Optimizer Create(OptimizerKind kind, IEnumerable<Tensor> parameters, double learningRate) => kind switch
    {
        OptimizerKind.Sgd => new Sgd(parameters, learningRate),
        OptimizerKind.Momentum => new Sgd(parameters, learningRate, momentum: Momentum),
        OptimizerKind.Adam => new Adam(parameters, learningRate),
        OptimizerKind.Rmsprop => new RmsProp(parameters, learningRate),
        OptimizerKind.Adagrad => new Adagrad(parameters, learningRate),
        OptimizerKind.Lbfgs => new Lbfgs(parameters, learningRate, lineSearch: LineSearch.StrongWolfe),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "OptimizerFactory.Create: unknown optimizer kind."),
    };
}
