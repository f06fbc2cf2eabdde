namespace Nabla.Optim;

/// <summary>
/// What an optimizer needs to resume exactly where it stopped: named tensors (moment estimates,
/// momentum buffers, L-BFGS history) and named scalars (the learning rate, step counts). Keys of
/// per-parameter entries start with the parameter's index: <c>"0.exp_avg"</c>, <c>"0.step"</c>.
/// </summary>
/// <remarks>
/// <see cref="Optimizer.StateDict"/> returns copies, so training on afterwards does not change a
/// saved state; <see cref="Optimizer.LoadStateDict"/> copies the values in, so the same state can
/// be loaded into several optimizers.
/// </remarks>
public sealed class OptimizerState
{
    /// <summary>Creates a state from its tensors and scalars (as read back from a checkpoint).</summary>
    public OptimizerState(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, double> scalars)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(scalars);
        Tensors = tensors;
        Scalars = scalars;
    }

    /// <summary>The state tensors, by name.</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors { get; }

    /// <summary>The scalar state (learning rate, step counts, L-BFGS step length), by name.</summary>
    public IReadOnlyDictionary<string, double> Scalars { get; }
}
