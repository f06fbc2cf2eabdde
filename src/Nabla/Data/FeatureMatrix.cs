using System.Numerics.Tensors;
using System.Globalization;
using System.Numerics;

namespace Nabla.Data;

/// <summary>
/// The samples given to an estimator: N rows of F features, as a 2-D <see cref="Tensor"/>
/// (Float32, Float64 or Int32), a <c>double[,]</c> or a jagged <c>float[][]</c>. Each converts
/// implicitly, so every <c>Fit</c>, <c>Predict</c> and <c>Score</c> takes any of them.
/// </summary>
/// <remarks>
/// Estimators and transformers compute in Float64 whatever the input type, as scikit-learn does
/// for its linear models; the input itself is never modified.
/// </remarks>
public readonly struct FeatureMatrix
{
    private readonly Tensor? _tensor;
    private readonly double[,]? _array;
    private readonly float[][]? _jagged;

    private FeatureMatrix(Tensor? tensor, double[,]? array, float[][]? jagged) =>
        (_tensor, _array, _jagged) = (tensor, array, jagged);

    /// <summary>Samples as a 2-D tensor of shape (N, F).</summary>
    public static implicit operator FeatureMatrix(Tensor x) => new(x, null, null);

    /// <summary>Samples as a rectangular array, one row a sample.</summary>
    public static implicit operator FeatureMatrix(double[,] x) => new(null, x, null);

    /// <summary>Samples as one <c>float[]</c> a row, all of the same length.</summary>
    public static implicit operator FeatureMatrix(float[][] x) => new(null, null, x);

    /// <summary>The element type a transformed copy comes back in: Float32 for a Float32 tensor, Float64 otherwise.</summary>
    internal DType ResultType => _tensor?.DType == DType.Float32 ? DType.Float32 : DType.Float64;

    /// <summary>The samples as a Float64 row-major matrix, checked: 2-D, at least one row and one column, every value finite.</summary>
    /// <param name="who">The estimator and method, for messages ("Ridge.Fit").</param>
    /// <exception cref="ArgumentNullException">No samples were given.</exception>
    /// <exception cref="ArgumentException">The samples are not 2-D, are empty, are ragged or hold NaN or infinity.</exception>
    /// <param name="allowNoRows">Whether no samples is accepted: one block of a distributed fit may hold none.</param>
    internal DesignMatrix ToDesign(string who, bool allowNoRows = false)
    {
        var design = Read(who);
        if ((design.Rows == 0 && !allowNoRows) || design.Columns == 0)
            throw new ArgumentException($"{who}: X must have at least one sample and one feature, got {design.Rows} × {design.Columns}.", "X");
        CheckFinite(design, who);
        return design;
    }

    /// <summary>
    /// The samples as a Float64 row-major matrix, checked only to be 2-D and rectangular: the
    /// transformers read NaN as a missing value and decide themselves whether no rows is an error.
    /// </summary>
    /// <exception cref="ArgumentNullException">No samples were given.</exception>
    /// <exception cref="ShapeMismatchException">The samples are not 2-D, or are ragged.</exception>
    internal DesignMatrix Read(string who)
    {
        if (_tensor is { } t) return FromTensor(t, who);
        if (_array is { } a) return FromArray(a);
        if (_jagged is { } j) return FromJagged(j, who);
        throw new ArgumentNullException("X", $"{who}: X is null.");
    }

    private static DesignMatrix FromTensor(Tensor t, string who)
    {
        if (t.Rank != 2)
            throw new ShapeMismatchException($"{who}: X must be 2-D (samples × features), got shape {Shapes.Format(t.ShapeArray)}; reshape a single feature to (n, 1).");
        int rows = t.Size(0), columns = t.Size(1);
        return t.DType switch
        {
            DType.Float64 => new DesignMatrix(t.Float64Data, rows, columns),
            DType.Float32 => DesignMatrix.FromSingle(t.Float32Data, rows, columns),
            _ => new DesignMatrix(Array.ConvertAll(t.Int32Data, v => (double)v), rows, columns),
        };
    }

    private static DesignMatrix FromArray(double[,] a)
    {
        int rows = a.GetLength(0), columns = a.GetLength(1);
        var values = new double[a.Length];
        Buffer.BlockCopy(a, 0, values, 0, a.Length * sizeof(double));
        return new DesignMatrix(values, rows, columns);
    }

    private static DesignMatrix FromJagged(float[][] rowsOfX, string who)
    {
        int rows = rowsOfX.Length;
        int columns = rows == 0 ? 0 : (rowsOfX[0] ?? throw NullRow(0, who)).Length;
        var values = new double[(long)rows * columns];
        for (int i = 0; i < rows; i++)
        {
            var row = rowsOfX[i] ?? throw NullRow(i, who);
            if (row.Length != columns)
                throw new ShapeMismatchException($"{who}: X row {i} has {row.Length} values, row 0 has {columns}; every row needs the same number of features.");
            TensorPrimitives.ConvertChecked<float, double>(row, values.AsSpan(i * columns, columns));
        }
        return new DesignMatrix(values, rows, columns);
    }

    private static ArgumentException NullRow(int i, string who) => new($"{who}: X row {i} is null.", "X");

    private static void CheckFinite(DesignMatrix design, string who)
    {
        if (design.Single is { } single) CheckFinite<float>(single.AsSpan(0, design.Rows * design.Columns), design.Columns, who);
        else CheckFinite<double>(design.Values.AsSpan(0, design.Rows * design.Columns), design.Columns, who);
    }

    private static void CheckFinite<T>(ReadOnlySpan<T> values, int columns, string who) where T : IFloatingPointIeee754<T>
    {
        // One vectorised pass in the common case: the largest magnitude is NaN when any value is and
        // infinite when any value is (a sum would also overflow on large finite values). The element
        // loop runs only to name the culprit.
        if (values.IsEmpty || T.IsFinite(TensorPrimitives.MaxMagnitude(values))) return;
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
                throw new ArgumentException($"{who}: X holds {double.CreateTruncating(values[i]).ToString("R", CultureInfo.InvariantCulture)} at row {i / columns}, column {i % columns}; every feature must be finite.", "X");
        }
    }
}
