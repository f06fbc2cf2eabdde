namespace Nabla.Cli;

/// <summary>The optimizer that <c>nabla train --optimizer</c> uses.</summary>
internal enum OptimizerKind
{
    /// <summary>Plain stochastic gradient descent.</summary>
    Sgd,

    /// <summary>Stochastic gradient descent with momentum 0.9.</summary>
    Momentum,

    /// <summary>Adam (Kingma and Ba).</summary>
    Adam,

    /// <summary>RMSprop.</summary>
    Rmsprop,

    /// <summary>Adagrad.</summary>
    Adagrad,

    /// <summary>Limited-memory BFGS.</summary>
    Lbfgs,
}
