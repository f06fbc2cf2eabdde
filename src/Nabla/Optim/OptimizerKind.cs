namespace Nabla.Optim;

/// <summary>The optimizers <see cref="OptimizerFactory.Create"/> builds by name, for code that chooses one from settings (a command line, a search space).</summary>
public enum OptimizerKind
{
    /// <summary>Plain stochastic gradient descent (<see cref="Sgd"/>).</summary>
    Sgd,

    /// <summary>Stochastic gradient descent with momentum <see cref="OptimizerFactory.Momentum"/> (<see cref="Sgd"/>).</summary>
    Momentum,

    /// <summary>Adam (Kingma and Ba), <see cref="Adam"/>.</summary>
    Adam,

    /// <summary>RMSprop (Hinton), <see cref="RmsProp"/>.</summary>
    Rmsprop,

    /// <summary>Adagrad (Duchi, Hazan and Singer), <see cref="Adagrad"/>.</summary>
    Adagrad,

    /// <summary>Limited-memory BFGS with a strong Wolfe line search, <see cref="Lbfgs"/>.</summary>
    Lbfgs,
}
