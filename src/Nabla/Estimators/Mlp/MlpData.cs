namespace Nabla.Estimators;

/// <summary>
/// The samples and targets of an MLP fit: features row-major in the network's type (converted once),
/// targets and sample weights in Float64 as the loss reads them.
/// </summary>
internal sealed class MlpData
{
    private readonly Array _features;

    public MlpData(double[] features, double[] targets, int rows, int columns, int outputs, double[]? weights, DType dtype)
        : this(dtype == DType.Float64 ? features : Single(features), targets, rows, columns, outputs, weights, dtype) { }

    private MlpData(Array features, double[] targets, int rows, int columns, int outputs, double[]? weights, DType dtype)
    {
        _features = features;
        Targets = targets;
        Rows = rows;
        Columns = columns;
        Outputs = outputs;
        Weights = weights;
        DType = dtype;
    }

    // The features rounded to Float32 in one vectorised pass (a delegate a value costs more than the epoch's gathers).
    private static float[] Single(double[] features)
    {
        var single = new float[features.Length];
        System.Numerics.Tensors.TensorPrimitives.ConvertChecked<double, float>(features, single);
        return single;
    }

    /// <summary>Targets, row-major Rows × Outputs (empty when only predicting).</summary>
    public double[] Targets { get; }

    /// <summary>The number of samples.</summary>
    public int Rows { get; }

    /// <summary>The number of features.</summary>
    public int Columns { get; }

    /// <summary>The number of target values a sample.</summary>
    public int Outputs { get; }

    /// <summary>A weight a sample, or null when every sample counts once.</summary>
    public double[]? Weights { get; }

    /// <summary>The type of the features.</summary>
    public DType DType { get; }

    /// <summary>All the features as a (Rows, Columns) tensor over this data's own storage.</summary>
    public Tensor Features() => new(_features, [Rows, Columns], DType);

    /// <summary>The samples at <paramref name="indices"/>, copied.</summary>
    public MlpData Select(IReadOnlyList<int> indices)
    {
        var features = Array.CreateInstance(_features.GetType().GetElementType()!, indices.Count * Columns);
        var targets = new double[indices.Count * Outputs];
        var weights = Weights is null ? null : new double[indices.Count];
        for (int r = 0; r < indices.Count; r++) CopySample(indices[r], r, features, targets, weights);
        return new MlpData(features, targets, indices.Count, Columns, Outputs, weights, DType);
    }

    /// <summary>Copies sample <paramref name="from"/> into row <paramref name="to"/> of the given buffers.</summary>
    public void CopySample(int from, int to, Array features, double[] targets, double[]? weights)
    {
        Array.Copy(_features, from * Columns, features, to * Columns, Columns);
        Array.Copy(Targets, from * Outputs, targets, to * Outputs, Outputs);
        if (weights is not null) weights[to] = Weights![from];
    }
}
