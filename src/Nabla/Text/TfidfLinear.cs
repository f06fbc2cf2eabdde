using Nabla.NN;

namespace Nabla.Text;

/// <summary>
/// A linear model over the TF-IDF rows of texts given as vocabulary ids: each row of ids (padded
/// with <see cref="Vocabulary.PaddingId"/>) is weighed as scikit-learn's <c>TfidfVectorizer</c>
/// weighs a document (term counts, optionally 1 + ln tf, times the idf, scaled to unit length), then
/// multiplied by the weights as a <see cref="SparseLinear"/> layer: what logistic regression or a
/// linear SVM over TF-IDF features is, without ever making the dense rows.
/// </summary>
/// <remarks>
/// The idf (buffer "idf", one value per id) is learnt from the training ids by <see cref="FitIdf"/>
/// with scikit-learn's smoothed formula ln((1 + n) / (1 + df)) + 1; ids 0 (padding) and 1 (unknown)
/// carry no weight, as scikit-learn drops terms outside its vocabulary. Parameters: "linear.weight"
/// (ids × outputs) and "linear.bias".
/// </remarks>
/// <example>
/// <code>
/// var model = new TfidfLinear(vocabulary.Count, classes: 15, sublinearTf: true);
/// model.FitIdf(trainIds);                  // (N, L) Int32, the training texts' ids
/// var logits = model.Forward(batchIds);    // (batch, 15)
/// </code>
/// </example>
public sealed class TfidfLinear : Module
{
    /// <summary>Creates the layer with zero weights and bias and an idf of 1 for every id until <see cref="FitIdf"/>.</summary>
    /// <param name="vocabularySize">The number of ids, the two reserved ones included.</param>
    /// <param name="outFeatures">The number of outputs (classes).</param>
    /// <param name="sublinearTf">Whether a term counted c times weighs 1 + ln c instead of c.</param>
    /// <param name="dtype">Float32 (the default) or Float64.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or the vocabulary has no id besides the reserved ones.</exception>
    public TfidfLinear(int vocabularySize, int outFeatures, bool sublinearTf = false, DType dtype = DType.Float32)
    {
        if (vocabularySize <= Vocabulary.UnknownId + 1)
            throw new ArgumentOutOfRangeException(nameof(vocabularySize), vocabularySize, $"TfidfLinear: the vocabulary needs an id besides <pad> and <unk>, got {vocabularySize} ids.");
        SublinearTf = sublinearTf;
        Idf = RegisterBuffer("idf", Tensor.Ones([vocabularySize], dtype));
        Linear = RegisterModule("linear", new SparseLinear(vocabularySize, outFeatures, dtype: dtype));
    }

    /// <summary>Whether a term counted c times weighs 1 + ln c instead of c.</summary>
    public bool SublinearTf { get; }

    /// <summary>The inverse document frequency of each id.</summary>
    public Tensor Idf { get; }

    /// <summary>The linear layer over the TF-IDF rows.</summary>
    public SparseLinear Linear { get; }

    /// <summary>The number of ids.</summary>
    public int VocabularySize => Linear.InFeatures;

    /// <summary>Learns each id's idf from the training texts' ids, (N, L) Int32 padded with 0: ln((1 + N) / (1 + df)) + 1, df the texts that hold the id.</summary>
    /// <exception cref="ArgumentException">The ids are not a 2-D Int32 tensor with at least one row, or one is outside the vocabulary.</exception>
    public void FitIdf(Tensor ids)
    {
        var (rows, length, values) = Checked(ids);
        if (rows == 0) throw new ArgumentException("TfidfLinear.FitIdf: there are no texts to learn the idf from.", nameof(ids));
        var documentFrequency = new int[VocabularySize];
        var seen = new HashSet<int>();
        for (int row = 0; row < rows; row++)
        {
            seen.Clear();
            foreach (int id in values.AsSpan(row * length, length))
                if (id > Vocabulary.UnknownId && seen.Add(id)) documentFrequency[id]++;
        }
        var idf = new double[VocabularySize];
        for (int id = 0; id < idf.Length; id++) idf[id] = TfidfWeighting.Idf(rows, documentFrequency[id], smooth: true);
        Tensor.FromArray(idf).To(Idf.DType).Storage.CopyTo(Idf.Storage, 0);
    }

    /// <summary>
    /// Sets the weights from a linear classifier fitted on this layer's TF-IDF rows (<see cref="Weigh"/>), such as
    /// <c>LinearSvc</c>: <paramref name="coef"/> (outputs, ids) and <paramref name="intercept"/> (outputs); a binary classifier's
    /// single row (the second class's score) becomes the second output, the first scoring 0.
    /// </summary>
    /// <exception cref="ShapeMismatchException">The shapes fit neither this layer's outputs nor a binary classifier's one row.</exception>
    public void SetWeights(Tensor coef, Tensor intercept)
    {
        ArgumentNullException.ThrowIfNull(coef);
        ArgumentNullException.ThrowIfNull(intercept);
        int outputs = Linear.OutFeatures, rows = coef.Rank == 2 ? coef.ShapeArray[0] : -1;
        bool binary = outputs == 2 && rows == 1;
        if (coef.Rank != 2 || coef.ShapeArray[1] != VocabularySize || !(rows == outputs || binary) || intercept.Length != rows)
            throw new ShapeMismatchException($"TfidfLinear.SetWeights: expects coef ({outputs}, {VocabularySize}) and intercept ({outputs}), got {Shapes.Format(coef.ShapeArray)} and {Shapes.Format(intercept.ShapeArray)}.");
        var c = coef.ToDoubleArray();
        var b = intercept.ToDoubleArray();
        var weight = new double[VocabularySize * outputs];
        var bias = new double[outputs];
        int first = binary ? 1 : 0;
        for (int r = 0; r < rows; r++)
        {
            bias[first + r] = b[r];
            for (int id = 0; id < VocabularySize; id++) weight[id * outputs + first + r] = c[r * VocabularySize + id];
        }
        Tensor.FromArray(weight).To(Linear.Weight.DType).Storage.CopyTo(Linear.Weight.Storage, 0);
        Tensor.FromArray(bias).To(Linear.Weight.DType).Storage.CopyTo(Linear.Bias!.Storage, 0);
    }

    /// <summary>The outputs, (N, outputs), of (N, L) Int32 ids padded with 0.</summary>
    /// <exception cref="ArgumentException">The ids are not a 2-D Int32 tensor, or one is outside the vocabulary.</exception>
    public override Tensor Forward(Tensor input) => Linear.Forward(Weigh(input));

    /// <summary>The TF-IDF rows of (N, L) Int32 ids: one row a text, one column an id.</summary>
    /// <exception cref="ArgumentException">The ids are not a 2-D Int32 tensor, or one is outside the vocabulary.</exception>
    public SparseRows Weigh(Tensor ids)
    {
        var (rows, length, values) = Checked(ids);
        var idf = Idf.ToDoubleArray();
        var rowPointers = new int[rows + 1];
        var columns = new List<int>();
        var weights = new List<double>();
        var counts = new SortedDictionary<int, int>();
        for (int row = 0; row < rows; row++)
        {
            counts.Clear();
            foreach (int id in values.AsSpan(row * length, length))
                if (id > Vocabulary.UnknownId) counts[id] = counts.GetValueOrDefault(id) + 1;
            int start = weights.Count;
            foreach (var (id, count) in counts)
            {
                columns.Add(id);
                weights.Add(TfidfWeighting.Weight(count, idf[id], SublinearTf));
            }
            TfidfWeighting.ScaleToUnitLength(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(weights)[start..]);
            rowPointers[row + 1] = weights.Count;
        }
        return SparseRows.Own(rows, VocabularySize, rowPointers, [.. columns], [.. weights]);
    }

    private (int Rows, int Length, int[] Values) Checked(Tensor ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Rank != 2 || ids.DType != DType.Int32)
            throw new ArgumentException($"TfidfLinear: the ids must be an (N, L) Int32 tensor, got {ids.DType} of shape {Shapes.Format(ids.ShapeArray)}.", nameof(ids));
        var values = ids.ToArray<int>();
        int length = ids.ShapeArray[1];
        for (int i = 0; i < values.Length; i++)
            if ((uint)values[i] >= (uint)VocabularySize)
                throw new ArgumentException($"TfidfLinear: id {values[i]} at row {i / Math.Max(1, length)}, step {i % Math.Max(1, length)} is outside the vocabulary of {VocabularySize} ids.", nameof(ids));
        return (ids.ShapeArray[0], length, values);
    }
}
