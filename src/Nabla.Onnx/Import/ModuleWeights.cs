using Nabla.NN;

namespace Nabla.Onnx.Import;

/// <summary>Puts a file's weights into a freshly built module.</summary>
internal static class ModuleWeights
{
    /// <summary>
    /// A generator for the initial weights that the file's then replace: a fixed one, so an import draws
    /// nothing from <see cref="Init.DefaultGenerator"/> and leaves the caller's random stream as it was.
    /// </summary>
    public static Generator Discarded => new(0);

    /// <summary>Copies <paramref name="tensors"/> into <paramref name="module"/>'s parameters and buffers of those names (a null value is skipped) and returns the module.</summary>
    public static T Load<T>(T module, params (string Name, Tensor? Value)[] tensors) where T : Module
    {
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, value) in tensors)
            if (value is not null) state[name] = value;
        module.LoadStateDict(state, strict: false);
        return module;
    }
}
