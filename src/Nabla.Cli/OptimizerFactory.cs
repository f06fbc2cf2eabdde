using Nabla.Optim;

namespace Nabla.Cli;

/// <summary>Builds the optimizer that <c>--optimizer</c> names, with <c>--lr</c> and the library's other defaults.</summary>
internal static class OptimizerFactory
{
    /// <summary>The momentum of <c>--optimizer momentum</c>, the customary value.</summary>
    public const double Momentum = 0.9;

    /// <summary>The optimizer over <paramref name="parameters"/>.</summary>
    /// <exception cref="CommandInputException">The optimizer cannot run in the per-batch training loop (L-BFGS).</exception>
    public static Optimizer Create(OptimizerKind kind, IEnumerable<Tensor> parameters, double learningRate) => kind switch
    {
        OptimizerKind.Sgd => new Sgd(parameters, learningRate),
        OptimizerKind.Momentum => new Sgd(parameters, learningRate, momentum: Momentum),
        OptimizerKind.Adam => new Adam(parameters, learningRate),
        OptimizerKind.Rmsprop => new RmsProp(parameters, learningRate),
        OptimizerKind.Adagrad => new Adagrad(parameters, learningRate),
        // The training loop takes one Step() per batch; L-BFGS needs Step(closure), which the loop does not call yet.
        OptimizerKind.Lbfgs => throw new CommandInputException("--optimizer lbfgs is not available yet: the training loop takes one plain step per batch, and L-BFGS needs to re-evaluate the loss within a step; use adam, sgd, momentum, rmsprop or adagrad."),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown optimizer kind."),
    };
}
