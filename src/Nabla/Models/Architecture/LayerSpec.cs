using Nabla.NN;

namespace Nabla.Models;

/// <summary>
/// One layer of a <see cref="ModelArchitecture"/>, described by its kind and sizes only: what a
/// model file stores instead of code. The concrete layers are <see cref="LinearSpec"/>,
/// <see cref="ActivationSpec"/>, <see cref="DropoutSpec"/>, <see cref="BatchNorm1dSpec"/>,
/// <see cref="FlattenSpec"/>, <see cref="Conv2dSpec"/> and <see cref="MaxPool2dSpec"/>; for text, read from token
/// ids as the first layer, <see cref="SequenceClassifierSpec"/>, <see cref="EmbeddingBagSpec"/> and <see cref="TfidfLinearSpec"/>.
/// </summary>
/// <remarks>
/// A spec checks its sizes when the architecture holding it is created, not when the spec is, so
/// the error can name the layer's position; shapes are per sample (no batch axis).
/// </remarks>
public abstract record LayerSpec
{
    private protected LayerSpec()
    {
    }

    /// <summary>The layer's kind as the architecture JSON names it: "linear", "relu", "dropout", "conv2d", ...</summary>
    public abstract string Kind { get; }

    /// <summary>A short human description with the sizes, e.g. "Linear(64 → 32)", for <see cref="ModelArchitecture.Describe"/>.</summary>
    public abstract string Description { get; }

    /// <summary>
    /// The per-sample shape this layer gives for <paramref name="input"/>, after checking the layer's
    /// sizes and that the input fits it.
    /// </summary>
    /// <param name="input">The per-sample shape reaching the layer.</param>
    /// <param name="index">The layer's position, for the error message.</param>
    /// <exception cref="ArgumentException">A size is out of range or the input does not fit; the message names the layer, its index and the problem.</exception>
    internal abstract int[] OutputShape(int[] input, int index);

    /// <summary>
    /// The values of working memory the layer's forward pass needs per sample besides its output,
    /// given its per-sample <paramref name="input"/> and <paramref name="output"/> shapes; none for most layers.
    /// </summary>
    internal virtual long ScratchPerSample(int[] input, int[] output) => 0;

    /// <summary>Whether the layer reads token ids (Int32, padded with 0) rather than numbers: a text model's first layer.</summary>
    internal virtual bool ReadsTokenIds => false;

    /// <summary>The module this spec describes, freshly initialised as PyTorch does by default.</summary>
    internal abstract Module Build(DType dtype, Generator generator);

    /// <summary>Whether <paramref name="module"/> is the layer this spec builds, with the same sizes and settings.</summary>
    internal abstract bool Matches(Module module);

    /// <summary>The parameters and buffers of the built module, named relative to it ("weight", "bias", ...).</summary>
    internal virtual IEnumerable<ExpectedTensor> State => [];

    /// <summary>The exception for a problem with this layer at <paramref name="index"/>.</summary>
    private protected ArgumentException Invalid(int index, string problem) => new($"layer {index} ({Kind}): {problem}.");

    /// <summary>Fails unless <paramref name="value"/> is at least 1.</summary>
    private protected void RequirePositive(int index, string name, int value)
    {
        if (value <= 0) throw Invalid(index, $"{name} must be a positive integer, got {value}");
    }

    /// <summary>Fails unless the layer is the first and reads a per-sample shape [steps] of token ids.</summary>
    private protected void RequireTokenIds(int index, int[] input)
    {
        if (index != 0) throw Invalid(index, "it reads token ids, so it must be the first layer");
        if (input.Length != 1) throw Invalid(index, $"expects a row of token ids, per-sample shape [steps], got {Shapes.Format(input)}");
    }

    /// <summary>Fails unless <paramref name="input"/> is a (channels, height, width) image shape with <paramref name="channels"/> channels (any when null).</summary>
    private protected void RequireImage(int index, int[] input, int? channels)
    {
        if (input.Length != 3)
            throw Invalid(index, $"expects a per-sample image of shape [channels, height, width], got {Shapes.Format(input)}");
        if (channels is { } c && input[0] != c)
            throw Invalid(index, $"expects {c} input channels, got {input[0]} (per-sample shape {Shapes.Format(input)})");
    }
}
