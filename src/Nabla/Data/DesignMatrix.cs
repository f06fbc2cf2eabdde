using System.Numerics.Tensors;
using Nabla.Kernels;

namespace Nabla.Data;

/// <summary>
/// Samples as estimators and transformers compute with them: Float64, row-major, <see cref="Rows"/> × <see cref="Columns"/>.
/// <see cref="Values"/> may be the caller's own Float64 tensor storage: read it, never write it.
/// </summary>
internal sealed record DesignMatrix(double[] Values, int Rows, int Columns)
{
    /// <summary>
    /// The same samples as the caller's own Float32 tensor storage when they came as one (read it,
    /// never write it), for an estimator that computes in Float32 and would otherwise convert
    /// <see cref="Values"/> back; null when they came in another type. A matrix with other values
    /// is made with <c>new</c>, never <c>with</c>, so that it does not carry these stale samples.
    /// </summary>
    public float[]? Single { get; init; }

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
