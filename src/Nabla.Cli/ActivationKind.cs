namespace Nabla.Cli;

/// <summary>The nonlinearity between hidden layers (<c>--activation</c>).</summary>
internal enum ActivationKind
{
    /// <summary>max(0, x).</summary>
    Relu,

    /// <summary>The hyperbolic tangent.</summary>
    Tanh,

    /// <summary>The logistic function 1 / (1 + e^−x).</summary>
    Sigmoid,

    /// <summary>The Gaussian error linear unit.</summary>
    Gelu,

    /// <summary>max(0.01·x, x).</summary>
    LeakyRelu,
}
