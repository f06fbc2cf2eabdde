using Nabla.Optim;

namespace Nabla.Cli;

/// <summary>Builds the optimizer that <c>--optimizer</c> names, with <c>--lr</c> and the library's other defaults.</summary>
internal static class OptimizerFactory
{
    /// <summary>The momentum of <c>--optimizer momentum</c>, the customary value.</summary>
    public const double Momentum = 0.9;

    /// <summary>
    /// The optimizer over <paramref name="parameters"/>. L-BFGS searches along each direction for a
    /// step that satisfies the strong Wolfe conditions, which keeps its full steps (lr 1) safe on
    /// badly scaled problems, as scikit-learn's lbfgs solver does.
    /// </summary>
    public static Optimizer Create(OptimizerKind kind, IEnumerable<Tensor> parameters, double learningRate) => kind switch
    {
        OptimizerKind.Sgd => new Sgd(parameters, learningRate),
        OptimizerKind.Momentum => new Sgd(parameters, learningRate, momentum: Momentum),
        OptimizerKind.Adam => new Adam(parameters, learningRate),
        OptimizerKind.Rmsprop => new RmsProp(parameters, learningRate),
        OptimizerKind.Adagrad => new Adagrad(parameters, learningRate),
        OptimizerKind.Lbfgs => new Lbfgs(parameters, learningRate, lineSearch: LineSearch.StrongWolfe),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown optimizer kind."),
    };
}
