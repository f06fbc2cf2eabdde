namespace Nabla.Training;

/// <summary>
/// What an <see cref="IStatefulCallback"/> needs to decide as it would have in an uninterrupted run:
/// named numbers (counters, the best value so far, a schedule's epoch) and, for the few callbacks
/// that keep weights (<see cref="EarlyStopping"/>'s best epoch), named tensors.
/// </summary>
public sealed class CallbackState
{
    private static readonly Dictionary<string, Tensor> NoTensors = [];

    /// <summary>Creates a state from its numbers and, optionally, its tensors.</summary>
    public CallbackState(IReadOnlyDictionary<string, double> scalars, IReadOnlyDictionary<string, Tensor>? tensors = null)
    {
        ArgumentNullException.ThrowIfNull(scalars);
        Scalars = scalars;
        Tensors = tensors ?? NoTensors;
    }

    /// <summary>The numbers of the state, by name.</summary>
    public IReadOnlyDictionary<string, double> Scalars { get; }

    /// <summary>The tensors of the state, by name; empty for most callbacks.</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors { get; }
}
