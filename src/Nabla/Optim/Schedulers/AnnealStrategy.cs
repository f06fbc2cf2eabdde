namespace Nabla.Optim.Schedulers;

/// <summary>How <see cref="OneCycleLR"/> moves between its phase end points.</summary>
public enum AnnealStrategy
{
    /// <summary>Along half a cosine: slow at both ends (PyTorch's <c>"cos"</c>).</summary>
    Cosine,

    /// <summary>In a straight line (PyTorch's <c>"linear"</c>).</summary>
    Linear,
}
