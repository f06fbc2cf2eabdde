using Nabla.NN;

namespace Nabla.Text;

/// <summary>
/// A linear layer over sparse rows, y = x·W + b for x a <see cref="SparseRows"/> matrix (a TF-IDF
/// matrix, say): the linear and logistic models over text, whose tens of thousands of columns could
/// never be a dense tensor. Each row is a bag of its columns' weight rows, summed with its values as
/// weights (an <see cref="EmbeddingBag"/> in <see cref="EmbeddingBagMode.Sum"/> mode with per-sample
/// weights), so a row costs its entries, not the column count, forward and backward alike.
/// </summary>
/// <remarks>
/// Parameters: "weight" (inFeatures, outFeatures), one row per column of x (the transpose of
/// <see cref="Linear"/>'s layout, so that a column's row is what a bag reads), and "bias"
/// (outFeatures). Both start at zero, as a linear model's solver starts: with a softmax or logistic
/// loss on top, the objective is convex and needs no random start.
/// </remarks>
/// <example>
/// <code>
/// var tfidf = new TfidfVectorizer(new TfidfOptions { MaxN = 2, SublinearTf = true }).Fit(trainTokens);
/// var model = new SparseLinear(tfidf.Terms.Count, classes);
/// var logits = model.Forward(tfidf.Transform(batchTokens));   // (batch rows, classes)
/// </code>
/// </example>
public sealed class SparseLinear : Module
{
    private readonly EmbeddingBag _bag;

    /// <summary>Creates the layer with zero weights and bias.</summary>
    /// <param name="inFeatures">The number of columns of the rows it takes.</param>
    /// <param name="outFeatures">The number of outputs (classes, for a classifier).</param>
    /// <param name="bias">Whether the layer adds a learnt bias.</param>
    /// <param name="dtype">Float32 (the default) or Float64.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    /// <exception cref="ArgumentException"><paramref name="dtype"/> is Int32.</exception>
    public SparseLinear(int inFeatures, int outFeatures, bool bias = true, DType dtype = DType.Float32)
    {
        if (inFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(inFeatures), inFeatures, $"SparseLinear: the number of input features must be positive, got {inFeatures}.");
        if (outFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(outFeatures), outFeatures, $"SparseLinear: the number of outputs must be positive, got {outFeatures}.");
        _bag = new EmbeddingBag(inFeatures, outFeatures, EmbeddingBagMode.Sum, dtype: dtype);
        _bag.Weight.Fill(0);
        Weight = RegisterParameter("weight", _bag.Weight);
        Bias = bias ? RegisterParameter("bias", Tensor.Zeros([outFeatures], dtype)) : null;
        (InFeatures, OutFeatures) = (inFeatures, outFeatures);
    }

    /// <summary>The number of columns of the rows the layer takes.</summary>
    public int InFeatures { get; }

    /// <summary>The number of outputs.</summary>
    public int OutFeatures { get; }

    /// <summary>The weights, (<see cref="InFeatures"/>, <see cref="OutFeatures"/>).</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, (<see cref="OutFeatures"/>), or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Not supported: the layer takes <see cref="SparseRows"/>, not a dense tensor.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override Tensor Forward(Tensor input) =>
        throw new NotSupportedException("SparseLinear takes sparse rows: call Forward(SparseRows x) or Forward(x, rows); for a dense tensor use Linear.");

    /// <summary>x·W + b for every row of <paramref name="x"/>, (x.RowCount, <see cref="OutFeatures"/>).</summary>
    /// <exception cref="ShapeMismatchException">x has another number of columns than <see cref="InFeatures"/>.</exception>
    public Tensor Forward(SparseRows x) => Forward(x, null);

    /// <summary>x·W + b for the rows of <paramref name="x"/> named in <paramref name="rows"/> (a mini-batch, in that order), or for all rows when null.</summary>
    /// <exception cref="ShapeMismatchException">x has another number of columns than <see cref="InFeatures"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A row index is outside x (index and value named).</exception>
    public Tensor Forward(SparseRows x, IReadOnlyList<int>? rows)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.ColumnCount != InFeatures)
            throw new ShapeMismatchException($"SparseLinear: the rows have {x.ColumnCount} columns, but the layer takes {InFeatures}.");
        int count = rows?.Count ?? x.RowCount;
        int entries = 0;
        for (int i = 0; i < count; i++) entries += x.ColumnsOf(RowAt(x, rows, i)).Length;
        var columns = new int[entries];
        var offsets = new int[count];
        var values = new double[entries];
        for (int i = 0, at = 0; i < count; i++)
        {
            int row = RowAt(x, rows, i);
            offsets[i] = at;
            x.ColumnsOf(row).CopyTo(columns.AsSpan(at));
            x.ValuesOf(row).CopyTo(values.AsSpan(at));
            at += x.ColumnsOf(row).Length;
        }
        var weights = Tensor.FromArray(values);
        if (Weight.DType == DType.Float32) weights = weights.To(DType.Float32);
        var product = _bag.Forward(Tensor.FromArray(columns), Tensor.FromArray(offsets), weights);
        return Bias is null ? product : product + Bias;
    }

    private static int RowAt(SparseRows x, IReadOnlyList<int>? rows, int i)
    {
        if (rows is null) return i;
        int row = rows[i];
        if ((uint)row >= (uint)x.RowCount)
            throw new ArgumentOutOfRangeException(nameof(rows), row, $"SparseLinear: rows[{i}] = {row} is outside the {x.RowCount} rows of x.");
        return row;
    }
}
