namespace Nabla;

/// <summary>The element type of a <see cref="Tensor"/>.</summary>
public enum DType
{
    /// <summary>32-bit IEEE floating point; the default, as in PyTorch.</summary>
    Float32,

    /// <summary>64-bit IEEE floating point, for gradient checks and careful numerics.</summary>
    Float64,

    /// <summary>32-bit signed integers, for class labels and indices; never requires gradients.</summary>
    Int32,
}
