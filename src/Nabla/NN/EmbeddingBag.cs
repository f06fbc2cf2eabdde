namespace Nabla.NN;

/// <summary>
/// Bags of embeddings, as <c>torch.nn.EmbeddingBag</c>: each bag of Int32 ids gives one vector, the
/// sum, mean or per-feature maximum of its ids' rows, without making the rows themselves. A sentence
/// as the mean of its word vectors, for example (the fastText model).
/// </summary>
/// <remarks>
/// <para>
/// Bags come in PyTorch's two forms: 2-D ids (N, L), each row one bag, or 1-D ids with
/// <c>offsets</c>, where bag b holds ids[offsets[b] .. offsets[b + 1]) (the last bag runs to the end;
/// an offset repeated makes an empty bag). The <see cref="PaddingIndex"/> id, in either form, is left
/// out of its bag (not counted by the mean); a bag with no other id, or an empty one, gives zeros.
/// </para>
/// <para>
/// The weights start from N(0, 1) with the padding row zero, as PyTorch's (the table is made as an
/// <see cref="Embedding"/>'s). The gradient is added into the rows that were used, in one pass with
/// no tensor of looked-up rows; the padding row never gets one.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var bag = new EmbeddingBag(10_000, 64, EmbeddingBagMode.Mean, paddingIndex: 0);
/// var sentences = bag.Forward(ids);                                   // ids (N, L) padded with 0: (N, 64)
/// var bags = bag.Forward(flatIds, offsets: Tensor.FromArray([0, 3, 7]));   // three bags: (3, 64)
/// </code>
/// </example>
public sealed class EmbeddingBag : Module
{
    /// <summary>Creates the table.</summary>
    /// <param name="numEmbeddings">The number of ids (rows).</param>
    /// <param name="embeddingDim">The length of each vector.</param>
    /// <param name="mode">How a bag's rows are reduced; the mean by default, as PyTorch's.</param>
    /// <param name="paddingIndex">An id left out of every bag, whose row is zero and untrained (a negative value counts from the end), or null.</param>
    /// <param name="generator">Where the initial weights come from; <see cref="Init.DefaultGenerator"/> when null.</param>
    /// <param name="dtype">Float32 (the default) or Float64.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, the padding index is outside the table, or the mode is unknown.</exception>
    /// <exception cref="ArgumentException"><paramref name="dtype"/> is Int32.</exception>
    public EmbeddingBag(int numEmbeddings, int embeddingDim, EmbeddingBagMode mode = EmbeddingBagMode.Mean, int? paddingIndex = null,
        Generator? generator = null, DType dtype = DType.Float32)
    {
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, $"EmbeddingBag: unknown mode {mode}.");
        // The table is an Embedding's: the same checks, the same draws, the padding row zeroed.
        var table = new Embedding(numEmbeddings, embeddingDim, paddingIndex, generator, dtype);
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        Mode = mode;
        PaddingIndex = table.PaddingIndex;
        Weight = RegisterParameter("weight", table.Weight);
    }

    /// <summary>The number of ids (rows).</summary>
    public int NumEmbeddings { get; }

    /// <summary>The length of each vector.</summary>
    public int EmbeddingDim { get; }

    /// <summary>How a bag's rows are reduced.</summary>
    public EmbeddingBagMode Mode { get; }

    /// <summary>The id left out of every bag, whose row is zero and untrained (made non-negative), or null.</summary>
    public int? PaddingIndex { get; }

    /// <summary>The table, of shape (numEmbeddings, embeddingDim).</summary>
    public Tensor Weight { get; }

    /// <summary>One vector per row of the (N, L) Int32 <paramref name="input"/>, each row a bag: (N, embeddingDim).</summary>
    /// <exception cref="ArgumentException">The ids are not a 2-D Int32 tensor.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside [0, numEmbeddings); the message names it and its position.</exception>
    public override Tensor Forward(Tensor input) => Forward(input, null);

    /// <summary>One vector per bag: (N, embeddingDim) for (N, L) ids, (B, embeddingDim) for 1-D ids with B offsets.</summary>
    /// <param name="input">Int32 ids: (N, L), each row a bag, or 1-D with <paramref name="offsets"/>.</param>
    /// <param name="offsets">For 1-D ids, a 1-D Int32 tensor of where each bag starts: 0 first, never decreasing, none past the end; null for 2-D ids.</param>
    /// <param name="perSampleWeights">A weight per id, shaped and typed as the input and the table (mode Sum only), multiplying its row; null for none.</param>
    /// <exception cref="ArgumentException">The ids are not Int32 or have the wrong rank for the offsets, the offsets are malformed, or the per-sample weights do not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside [0, numEmbeddings); the message names it and its position.</exception>
    public Tensor Forward(Tensor input, Tensor? offsets, Tensor? perSampleWeights = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.DType != DType.Int32)
            throw new ArgumentException($"{Label}: the ids must be an Int32 tensor, got {input.DType}.", nameof(input));
        var ids = input.Int32Data;
        var starts = offsets is null ? RowStarts(input) : OffsetStarts(input, offsets);
        for (int i = 0; i < ids.Length; i++)
            if ((uint)ids[i] >= (uint)NumEmbeddings)
                throw new ArgumentOutOfRangeException(nameof(input), $"{Label}: id {ids[i]} at position {Position(i, input)} of the ids (shape {Shapes.Format(input.ShapeArray)}) is outside [0, {NumEmbeddings}).");
        if (perSampleWeights is not null) CheckPerSampleWeights(input, perSampleWeights);
        return EmbeddingBagReduction.Reduce(Weight, new EmbeddingBagReduction.Bags(ids, starts, PaddingIndex), Mode, perSampleWeights);
    }

    /// <summary>
    /// One vector per row of (N, L) <paramref name="ids"/>, each row a bag, from the ids' rows given as vectors: the reduction
    /// <see cref="Forward(Tensor)"/> computes, written with differentiable tensor operations so that gradients can be taken with
    /// respect to the vectors (integrated gradients over the embedding layer's output). The ids only say which steps are
    /// <see cref="PaddingIndex"/>, left out of their bag (and of the mean's count) whatever their vector.
    /// </summary>
    /// <param name="embedded">(N, L, embeddingDim) vectors, one per id, in the table's element type (the table's rows give <see cref="Forward(Tensor)"/>'s result).</param>
    /// <param name="ids">(N, L) Int32 ids.</param>
    /// <exception cref="ArgumentException">The ids are not a 2-D Int32 tensor, or the vectors are not (N, L, embeddingDim) for them.</exception>
    public Tensor ForwardEmbedded(Tensor embedded, Tensor ids)
    {
        ArgumentNullException.ThrowIfNull(embedded);
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Rank != 2 || ids.DType != DType.Int32)
            throw new ArgumentException($"{Label}: the ids must be an (N, L) Int32 tensor, got {ids.DType} of shape {Shapes.Format(ids.ShapeArray)}.", nameof(ids));
        int rows = ids.ShapeArray[0], length = ids.ShapeArray[1];
        if (embedded.Rank != 3 || embedded.ShapeArray[0] != rows || embedded.ShapeArray[1] != length || embedded.ShapeArray[2] != EmbeddingDim)
            throw new ArgumentException($"{Label}: the vectors of ids {Shapes.Format(ids.ShapeArray)} must have shape ({rows}, {length}, {EmbeddingDim}), got {Shapes.Format(embedded.ShapeArray)}.", nameof(embedded));
        var values = ids.Span<int>();
        var kept = new double[rows * length];
        var counts = new double[rows];
        for (int i = 0; i < kept.Length; i++)
            if (values[i] != PaddingIndex) (kept[i], counts[i / length]) = (1, counts[i / length] + 1);
        var mask = Tensor.FromArray(kept, rows, length, 1).To(embedded.DType);
        var nonEmpty = Tensor.FromArray([.. counts.Select(count => count > 0 ? 1.0 : 0)], rows, 1).To(embedded.DType);
        return Mode switch
        {
            EmbeddingBagMode.Sum => (embedded * mask).Sum(1),
            // An empty bag's sum is zero; dividing it by 1 keeps it so.
            EmbeddingBagMode.Mean => (embedded * mask).Sum(1) / Tensor.FromArray([.. counts.Select(count => Math.Max(count, 1))], rows, 1).To(embedded.DType),
            _ => Tensor.Where(nonEmpty, Tensor.Where(mask, embedded, Tensor.Full([1], double.NegativeInfinity, embedded.DType)).Max(1), Tensor.Zeros([1], embedded.DType)),
        };
    }

    private string Label => $"EmbeddingBag({NumEmbeddings}, {EmbeddingDim})";

    /// <summary>"[n, l]" for 2-D ids, "[i]" for 1-D.</summary>
    private static string Position(int flat, Tensor input) =>
        input.Rank == 2 ? $"[{flat / input.ShapeArray[1]}, {flat % input.ShapeArray[1]}]" : $"[{flat}]";

    /// <summary>0, L, 2L, …, N·L: each row of (N, L) ids one bag.</summary>
    private int[] RowStarts(Tensor input)
    {
        if (input.Rank != 2)
            throw new ArgumentException($"{Label}: ids of shape {Shapes.Format(input.ShapeArray)} need offsets (where each bag starts in the 1-D ids), or must be (N, L), each row one bag.", nameof(input));
        int length = input.ShapeArray[1];
        var starts = new int[input.ShapeArray[0] + 1];
        for (int b = 0; b < starts.Length; b++) starts[b] = b * length;
        return starts;
    }

    /// <summary>The offsets, checked, with the end of the ids appended.</summary>
    private int[] OffsetStarts(Tensor input, Tensor offsets)
    {
        if (input.Rank != 1)
            throw new ArgumentException($"{Label}: offsets go with 1-D ids, got ids of shape {Shapes.Format(input.ShapeArray)}; (N, L) ids take no offsets.", nameof(offsets));
        if (offsets.DType != DType.Int32 || offsets.Rank != 1 || offsets.Length == 0)
            throw new ArgumentException($"{Label}: the offsets must be a non-empty 1-D Int32 tensor, got {offsets.DType} of shape {Shapes.Format(offsets.ShapeArray)}.", nameof(offsets));
        var given = offsets.Int32Data;
        if (given[0] != 0)
            throw new ArgumentException($"{Label}: the first offset must be 0 (the first bag starts at the first id), got {given[0]}.", nameof(offsets));
        for (int b = 1; b < given.Length; b++)
            if (given[b] < given[b - 1] || given[b] > input.Length)
                throw new ArgumentException($"{Label}: offset {b} = {given[b]} must be in [{given[b - 1]}, {input.Length}] (offsets never decrease and stay within the {input.Length} ids).", nameof(offsets));
        return [.. given, input.Length];
    }

    private void CheckPerSampleWeights(Tensor input, Tensor perSampleWeights)
    {
        if (Mode != EmbeddingBagMode.Sum)
            throw new ArgumentException($"{Label}: per-sample weights need mode Sum, as PyTorch's; this bag's mode is {Mode}.", nameof(perSampleWeights));
        if (!perSampleWeights.Shape.SequenceEqual(input.Shape))
            throw new ShapeMismatchException($"{Label}: the per-sample weights have shape {Shapes.Format(perSampleWeights.ShapeArray)}, the ids {Shapes.Format(input.ShapeArray)}; they must match.");
        if (perSampleWeights.DType != Weight.DType)
            throw new ArgumentException($"{Label}: the per-sample weights are {perSampleWeights.DType} but the table is {Weight.DType}.", nameof(perSampleWeights));
    }
}
