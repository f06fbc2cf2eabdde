using System.Numerics.Tensors;
using Nabla.Kernels;

namespace Nabla.Data;

/// <summary>
/// Samples as estimators and transformers compute with them: Float64, row-major, <see cref="Rows"/> × <see cref="Columns"/>.
/// <see cref="Values"/> may be the caller's own Float64 tensor storage: read it, never write it.
/// </summary>
internal sealed class DesignMatrix
{
    private double[]? _values;

    /// <summary>Samples given as Float64 values, row-major.</summary>
    public DesignMatrix(double[] values, int rows, int columns)
    {
        _values = values;
        Rows = rows;
        Columns = columns;
    }

    private DesignMatrix(float[] single, int rows, int columns)
    {
        Single = single;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>
    /// Samples given as the caller's own Float32 storage. <see cref="Values"/> converts them on first
    /// use: an estimator that computes in Float32 never needs the Float64 copy, which for an image data
    /// set is twice its size in fresh memory a fit.
    /// </summary>
    public static DesignMatrix FromSingle(float[] single, int rows, int columns) => new(single, rows, columns);

    /// <summary>The samples in Float64, row-major (converted from <see cref="Single"/> on first use when they came as Float32).</summary>
    public double[] Values => _values ??= ToDouble(Single!);

    /// <summary>The number of samples.</summary>
    public int Rows { get; }

    /// <summary>The number of features.</summary>
    public int Columns { get; }

    /// <summary>
    /// The same samples as the caller's own Float32 tensor storage when they came as one (read it,
    /// never write it), for an estimator that computes in Float32; null when they came in another type.
    /// </summary>
    public float[]? Single { get; }

    private static double[] ToDouble(float[] source)
    {
        // Not zeroed first: every element is written.
        var values = GC.AllocateUninitializedArray<double>(source.Length);
        TensorPrimitives.ConvertChecked<float, double>(source, values);
        return values;
    }

    /// <summary>Throws unless there is at least one sample, as fitting needs.</summary>
    /// <exception cref="ArgumentException">There are no rows.</exception>
    public DesignMatrix RequireSamples(string who)
    {
        if (Rows == 0) throw new ArgumentException($"{who}: X has 0 samples; at least one is needed to fit.", "X");
        return this;
    }

    /// <summary>Throws unless there are as many columns as the <paramref name="fitted"/> features.</summary>
    /// <exception cref="ShapeMismatchException">The feature counts differ (both named).</exception>
    public DesignMatrix RequireFeatures(int fitted, string who)
    {
        if (Columns != fitted)
            throw new ShapeMismatchException($"{who}: X has {Columns} features, but it was fitted with {fitted} features.");
        return this;
    }

    /// <summary>The linear scores X·Wᵀ + b of the samples, row-major N × K, for weights W (K × F, row-major) and intercepts b (K).</summary>
    public double[] LinearScores(double[] weights, double[] intercepts)
    {
        int k = intercepts.Length;
        var scores = new double[Rows * k];
        Gemm.Multiply(false, true, Rows, k, Columns, Values, 0, weights, 0, scores, 0, accumulate: false);
        for (int i = 0; i < Rows; i++)
            TensorPrimitives.Add(scores.AsSpan(i * k, k), intercepts, scores.AsSpan(i * k, k));
        return scores;
    }

    /// <summary>A copy of the given rows, in that order.</summary>
    public DesignMatrix SelectRows(int[] rows)
    {
        var values = new double[rows.Length * Columns];
        for (int i = 0; i < rows.Length; i++)
            Values.AsSpan(rows[i] * Columns, Columns).CopyTo(values.AsSpan(i * Columns, Columns));
        return new DesignMatrix(values, rows.Length, Columns);
    }

    /// <summary>The values as a (rows, columns) tensor of <paramref name="type"/> (Float32 or Float64).</summary>
    public Tensor ToTensor(DType type)
    {
        var result = Tensor.FromArray(Values, Rows, Columns);
        return type == DType.Float32 ? result.To(DType.Float32) : result;
    }

    /// <summary>The values as a rectangular array.</summary>
    public double[,] ToArray()
    {
        var result = new double[Rows, Columns];
        Buffer.BlockCopy(Values, 0, result, 0, Rows * Columns * sizeof(double));
        return result;
    }
}
