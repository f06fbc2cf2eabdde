namespace Nabla.NN;

/// <summary>The activation that follows a layer, which sets the gain of its initialisation (<see cref="Init.CalculateGain"/>).</summary>
public enum Nonlinearity
{
    /// <summary>No activation, or a convolution or linear map: gain 1.</summary>
    Linear,

    /// <summary>Logistic sigmoid: gain 1.</summary>
    Sigmoid,

    /// <summary>Hyperbolic tangent: gain 5/3.</summary>
    Tanh,

    /// <summary>Rectified linear unit: gain √2.</summary>
    Relu,

    /// <summary>Leaky ReLU with a negative slope a: gain √(2/(1 + a²)).</summary>
    LeakyRelu,

    /// <summary>Scaled exponential linear unit: gain 3/4.</summary>
    Selu,
}
