namespace Nabla.Optim;

/// <summary>How <see cref="Lbfgs"/> chooses the length of each step along its search direction.</summary>
public enum LineSearch
{
    /// <summary>A fixed step: the learning rate (scaled down on the very first iteration).</summary>
    None,

    /// <summary>A bracketing and zooming search for a step meeting the strong Wolfe conditions, as PyTorch's <c>"strong_wolfe"</c>.</summary>
    StrongWolfe,
}
