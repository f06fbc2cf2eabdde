using System.Globalization;

namespace Nabla.Data;

/// <summary>
/// A fitted transformer as data: its kind (the class name), its learnt arrays as named Float64
/// tensors and its settings as text, so that a model file can store preprocessing next to the
/// weights and load it without running code.
/// </summary>
/// <param name="Kind">The transformer's class name: "StandardScaler", "MinMaxScaler" or "OneHotEncoder".</param>
/// <param name="Tensors">The learnt arrays, by name (for example "mean" and "scale").</param>
/// <param name="Metadata">The settings and any learnt text (for example string categories), by name.</param>
public sealed record TransformerState(string Kind, IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>Rebuilds the fitted transformer this state was taken from.</summary>
    /// <exception cref="InvalidDataException">The kind is unknown, or a tensor or setting is missing or malformed (named).</exception>
    public ITransformer Restore() => Kind switch
    {
        nameof(StandardScaler) => StandardScaler.FromState(this),
        nameof(MinMaxScaler) => MinMaxScaler.FromState(this),
        nameof(OneHotEncoder) => OneHotEncoder.FromState(this),
        _ => throw new InvalidDataException($"Transformer state: unknown kind '{Kind}'; expected StandardScaler, MinMaxScaler or OneHotEncoder."),
    };

    /// <summary>The Float64 values of a required tensor.</summary>
    internal double[] Values(string name) =>
        Tensors.TryGetValue(name, out var tensor) ? tensor.ToDoubleArray() : throw Missing("tensor", name);

    /// <summary>The values of a tensor that may be absent (a statistic the settings did not ask for).</summary>
    internal double[]? OptionalValues(string name) => Tensors.TryGetValue(name, out var tensor) ? tensor.ToDoubleArray() : null;

    /// <summary>A required text setting.</summary>
    internal string Text(string name) => Metadata.TryGetValue(name, out var value) ? value : throw Missing("setting", name);

    /// <summary>A required true/false setting.</summary>
    internal bool Flag(string name) => bool.TryParse(Text(name), out bool value) ? value : throw Malformed(name, "true or false");

    /// <summary>A required number setting.</summary>
    internal double Number(string name) =>
        double.TryParse(Text(name), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : throw Malformed(name, "a number");

    /// <summary>A Float64 tensor of <paramref name="values"/>, to put in <see cref="Tensors"/>.</summary>
    internal static Tensor Vector(double[] values) => Tensor.FromArray(values, values.Length);

    /// <summary>A number as metadata text, round-trippable.</summary>
    internal static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private InvalidDataException Missing(string what, string name) => new($"{Kind} state: the {what} '{name}' is missing.");

    private InvalidDataException Malformed(string name, string expected) => new($"{Kind} state: the setting '{name}' is '{Metadata[name]}', expected {expected}.");
}
