namespace Nabla.Data;

/// <summary>
/// A (samples, features) matrix as the transformers read it: row-major doubles, whatever the
/// input (a 2-D tensor of any floating-point or Int32 type, or <c>double[,]</c>), plus the checks
/// every transformer makes on it.
/// </summary>
internal readonly record struct FeatureMatrix(double[] Values, int Rows, int Columns, DType DType)
{
    /// <summary>Reads a 2-D tensor.</summary>
    /// <exception cref="ShapeMismatchException">The tensor is not 2-D.</exception>
    public static FeatureMatrix From(Tensor x, string owner)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2)
            throw new ShapeMismatchException($"{owner}: expected a 2-D (samples, features) matrix, got shape {Shapes.Format(x.ShapeArray)}; reshape a single feature to (n, 1).");
        return new FeatureMatrix(x.ToDoubleArray(), x.Size(0), x.Size(1), x.DType);
    }

    /// <summary>Reads a rectangular array.</summary>
    public static FeatureMatrix From(double[,] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var values = new double[x.Length];
        Buffer.BlockCopy(x, 0, values, 0, x.Length * sizeof(double));
        return new FeatureMatrix(values, x.GetLength(0), x.GetLength(1), DType.Float64);
    }

    /// <summary>Throws unless there is at least one sample.</summary>
    public FeatureMatrix RequireSamples(string owner)
    {
        if (Rows == 0) throw new ArgumentException($"{owner}: the matrix has 0 samples; at least one is needed to fit.");
        return this;
    }

    /// <summary>Throws unless the matrix has the number of features seen in fit.</summary>
    public FeatureMatrix RequireFeatures(int fitted, string owner)
    {
        if (Columns != fitted)
            throw new ShapeMismatchException($"{owner}: X has {Columns} features, but the transformer was fitted with {fitted} features.");
        return this;
    }

    /// <summary>A tensor of <paramref name="values"/> shaped (rows, columns), in the input's floating-point type (Float64 for Int32 input).</summary>
    public static Tensor ToTensor(double[] values, int rows, int columns, DType like)
    {
        var result = Tensor.FromArray(values, rows, columns);
        return like == DType.Float32 ? result.To(DType.Float32) : result;
    }

    /// <summary>A rectangular array of <paramref name="values"/> shaped (rows, columns).</summary>
    public static double[,] ToArray(double[] values, int rows, int columns)
    {
        var result = new double[rows, columns];
        Buffer.BlockCopy(values, 0, result, 0, values.Length * sizeof(double));
        return result;
    }
}
