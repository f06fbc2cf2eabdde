using System.Globalization;

namespace Nabla.Explain;

/// <summary>
/// The reference input x' that integrated gradients measures from: attributions add up to F(x) − F(x').
/// The same baseline serves every row explained.
/// </summary>
public sealed class Baseline
{
    // The baseline's values, flattened; null for zeros of whatever shape a row has.
    private readonly double[]? _values;
    private readonly int[] _shape;

    private Baseline(double[]? values, int[] shape, string description) => (_values, _shape, Description) = (values, shape, description);

    /// <summary>All zeros: "no signal", the usual baseline for images and standardized features.</summary>
    public static Baseline Zero { get; } = new(null, [], "zero");

    /// <summary>What the baseline is, for reports: "zero", "training mean" or "given row".</summary>
    public string Description { get; }

    /// <summary>The mean of the training rows: attributions then explain how a row differs from an average one.</summary>
    /// <param name="trainingX">The training rows, (N, features...) with N ≥ 1.</param>
    /// <exception cref="ArgumentException"><paramref name="trainingX"/> has no rows, or is not floating point.</exception>
    public static Baseline TrainingMean(Tensor trainingX)
    {
        ArgumentNullException.ThrowIfNull(trainingX);
        if (trainingX.Rank < 2 || trainingX.Size(0) == 0 || !trainingX.IsFloatingPoint)
            throw new ArgumentException($"Baseline.TrainingMean: the training rows must be a floating-point (N, features...) tensor with N ≥ 1, got {trainingX.DType} of shape {Shapes.Format(trainingX.ShapeArray)}.", nameof(trainingX));
        var mean = trainingX.To(DType.Float64).Mean(axis: 0);
        return new(mean.ToDoubleArray(), mean.ShapeArray, "training mean");
    }

    /// <summary>A given row, shaped like one input row (or with a leading axis of 1).</summary>
    /// <exception cref="ArgumentException"><paramref name="row"/> is not floating point, or holds a value that is not finite.</exception>
    public static Baseline Row(Tensor row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (!row.IsFloatingPoint)
            throw new ArgumentException($"Baseline.Row: the baseline row must be floating point, got {row.DType}.", nameof(row));
        var values = row.ToDoubleArray();
        int bad = Array.FindIndex(values, v => !double.IsFinite(v));
        if (bad >= 0)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Baseline.Row: value {bad} of the baseline row is {values[bad]}; a baseline must be finite."), nameof(row));
        var shape = row.Rank > 1 && row.Size(0) == 1 ? row.ShapeArray[1..] : row.ShapeArray;
        return new(values, shape, "given row");
    }

    /// <summary>The baseline for rows of shape <paramref name="rowShape"/>, flattened.</summary>
    /// <exception cref="ShapeMismatchException">A given or mean row has another shape than the rows explained.</exception>
    internal double[] For(int[] rowShape, string who)
    {
        int length = 1;
        foreach (int size in rowShape) length *= size;
        if (_values is null) return new double[length];
        if (!_shape.AsSpan().SequenceEqual(rowShape))
            throw new ShapeMismatchException($"{who}: the {Description} baseline has shape {Shapes.Format(_shape)}, but the rows explained have shape {Shapes.Format(rowShape)}.");
        return (double[])_values.Clone();
    }
}
