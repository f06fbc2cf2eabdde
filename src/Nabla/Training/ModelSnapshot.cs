namespace Nabla.Training;

/// <summary>Copies of a module's parameters and buffers, taken without recording gradients, to restore later.</summary>
internal static class ModelSnapshot
{
    /// <summary>A copy of every tensor in <c>module.StateDict()</c>, under the same names.</summary>
    public static Dictionary<string, Tensor> Take(NN.Module module)
    {
        using var _ = Autograd.NoGrad();
        var copy = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in module.StateDict()) copy[name] = tensor.Clone();
        return copy;
    }
}
