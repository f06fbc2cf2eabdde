namespace Nabla.NN;

/// <summary>Which fan a Kaiming initialisation preserves the variance of.</summary>
public enum FanMode
{
    /// <summary>The number of inputs of each unit: keeps the variance of activations in the forward pass.</summary>
    FanIn,

    /// <summary>The number of outputs of each unit: keeps the variance of gradients in the backward pass.</summary>
    FanOut,
}
