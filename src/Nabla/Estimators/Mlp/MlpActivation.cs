namespace Nabla.Estimators;

/// <summary>The activation of an MLP's hidden layers (scikit-learn's <c>activation</c>).</summary>
public enum MlpActivation
{
    /// <summary>f(x) = x: the network stays linear.</summary>
    Identity,

    /// <summary>The logistic sigmoid, f(x) = 1 / (1 + e^(−x)).</summary>
    Logistic,

    /// <summary>The hyperbolic tangent.</summary>
    Tanh,

    /// <summary>The rectified linear unit, f(x) = max(0, x) (the default).</summary>
    Relu,
}
