namespace Nabla.NN;

/// <summary>
/// A lookup table of learned vectors, one per id, as <c>torch.nn.Embedding</c>: Int32 ids of any shape
/// give their rows, of shape (..., embeddingDim). Word vectors for token ids, for example.
/// </summary>
/// <remarks>
/// The weights start from N(0, 1), as PyTorch's. The gradient is added into the rows that were used
/// (a scatter-add, not a product with one-hot vectors); an id repeated adds its gradient once per use.
/// The <see cref="PaddingIndex"/> row starts at zero and never gets a gradient, so it stays as it is.
/// </remarks>
public sealed class Embedding : Module
{
    /// <summary>Creates the table.</summary>
    /// <param name="numEmbeddings">The number of ids (rows).</param>
    /// <param name="embeddingDim">The length of each vector.</param>
    /// <param name="paddingIndex">An id whose row is zero and untrained (a negative value counts from the end), or null.</param>
    /// <param name="generator">Where the initial weights come from; <see cref="Init.DefaultGenerator"/> when null.</param>
    /// <param name="dtype">Float32 (the default) or Float64.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or the padding index is outside the table.</exception>
    /// <exception cref="ArgumentException"><paramref name="dtype"/> is Int32.</exception>
    public Embedding(int numEmbeddings, int embeddingDim, int? paddingIndex = null, Generator? generator = null, DType dtype = DType.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numEmbeddings);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(embeddingDim);
        if (dtype == DType.Int32) throw new ArgumentException("Embedding: the weights must be Float32 or Float64, got Int32.", nameof(dtype));
        if (paddingIndex is { } p && (p < -numEmbeddings || p >= numEmbeddings))
            throw new ArgumentOutOfRangeException(nameof(paddingIndex), p, $"Embedding({numEmbeddings}, {embeddingDim}): the padding index must be in [{-numEmbeddings}, {numEmbeddings}), got {p}.");
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        PaddingIndex = paddingIndex is { } index && index < 0 ? index + numEmbeddings : paddingIndex;
        var weight = Init.Normal(Tensor.Zeros([numEmbeddings, embeddingDim], dtype), generator: generator);
        if (PaddingIndex is { } row) Array.Clear(weight.Storage, row * embeddingDim, embeddingDim);
        Weight = RegisterParameter("weight", weight);
    }

    /// <summary>The number of ids (rows).</summary>
    public int NumEmbeddings { get; }

    /// <summary>The length of each vector.</summary>
    public int EmbeddingDim { get; }

    /// <summary>The id whose row is zero and untrained (made non-negative), or null.</summary>
    public int? PaddingIndex { get; }

    /// <summary>The table, of shape (numEmbeddings, embeddingDim).</summary>
    public Tensor Weight { get; }

    /// <summary>The rows for <paramref name="input"/>, Int32 ids of any shape; the result has shape (..., embeddingDim).</summary>
    /// <exception cref="ArgumentException">The ids are not Int32.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside [0, numEmbeddings); the message names it and its position.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.DType != DType.Int32)
            throw new ArgumentException($"Embedding({NumEmbeddings}, {EmbeddingDim}): the ids must be an Int32 tensor, got {input.DType}.", nameof(input));
        var ids = input.Span<int>();
        for (int i = 0; i < ids.Length; i++)
            if ((uint)ids[i] >= (uint)NumEmbeddings)
                throw new ArgumentOutOfRangeException(nameof(input), $"Embedding({NumEmbeddings}, {EmbeddingDim}): id {ids[i]} at position {Position(i, input.ShapeArray)} of the ids (shape {Shapes.Format(input.ShapeArray)}) is outside [0, {NumEmbeddings}).");
        return Weight.Embedding(input, PaddingIndex);
    }

    /// <summary>The indices of flat position <paramref name="flat"/> in <paramref name="shape"/>, as "[i, j, ...]".</summary>
    private static string Position(int flat, int[] shape)
    {
        var index = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return Shapes.Format(index);
    }
}
