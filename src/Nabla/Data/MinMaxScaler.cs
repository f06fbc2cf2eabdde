namespace Nabla.Data;

/// <summary>
/// Maps each feature linearly onto <see cref="FeatureRange"/> (by default [0, 1]) from the
/// minimum and maximum seen in fitting, x' = x · scale + min, as scikit-learn's <c>MinMaxScaler</c>:
/// a constant feature gets scale 1; NaN values are ignored when fitting and stay NaN; with
/// <see cref="Clip"/>, values outside the fitted range are clipped to the feature range.
/// </summary>
public sealed class MinMaxScaler : FeatureScaler<MinMaxScaler>
{
    private double[] _dataMin = [], _dataMax = [], _scale = [], _min = [];
    private long _seen;

    /// <summary>Creates an unfitted scaler.</summary>
    /// <param name="featureRange">The range the fitted minimum and maximum map to; (0, 1) by default.</param>
    /// <param name="clip">Clip transformed values to <paramref name="featureRange"/> (scikit-learn's <c>clip</c>).</param>
    /// <exception cref="ArgumentException">The range's minimum is not below its maximum, or a bound is not finite.</exception>
    public MinMaxScaler((double Min, double Max)? featureRange = null, bool clip = false)
    {
        var range = featureRange ?? (0, 1);
        if (!(range.Min < range.Max) || !double.IsFinite(range.Min) || !double.IsFinite(range.Max))
            throw new ArgumentException($"MinMaxScaler: the minimum of featureRange must be smaller than its maximum, got ({range.Min}, {range.Max}).", nameof(featureRange));
        FeatureRange = range;
        Clip = clip;
    }

    /// <summary>The range the fitted data is mapped onto.</summary>
    public (double Min, double Max) FeatureRange { get; }

    /// <summary>Whether transformed values are clipped to <see cref="FeatureRange"/>.</summary>
    public bool Clip { get; }

    /// <summary>The smallest value of each feature seen (<c>data_min_</c>).</summary>
    public IReadOnlyList<double> DataMin => IsFitted ? _dataMin : throw NotFitted();

    /// <summary>The largest value of each feature seen (<c>data_max_</c>).</summary>
    public IReadOnlyList<double> DataMax => IsFitted ? _dataMax : throw NotFitted();

    /// <summary>DataMax − DataMin of each feature (<c>data_range_</c>).</summary>
    public IReadOnlyList<double> DataRange => IsFitted ? [.. _dataMax.Select((max, j) => max - _dataMin[j])] : throw NotFitted();

    /// <summary>The factor of each feature (<c>scale_</c>).</summary>
    public IReadOnlyList<double> Scale => IsFitted ? _scale : throw NotFitted();

    /// <summary>The offset of each feature added after scaling (<c>min_</c>).</summary>
    public IReadOnlyList<double> Min => IsFitted ? _min : throw NotFitted();

    /// <summary>The number of samples seen (<c>n_samples_seen_</c>).</summary>
    public long NSamplesSeen => IsFitted ? _seen : throw NotFitted();

    /// <summary>Rebuilds a fitted scaler from <see cref="FeatureScaler{TSelf}.GetState"/>.</summary>
    /// <exception cref="InvalidDataException">A tensor or setting is missing or malformed.</exception>
    public static MinMaxScaler FromState(TransformerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var scaler = new MinMaxScaler((state.Number("feature_range_min"), state.Number("feature_range_max")), state.Flag("clip"))
        {
            _dataMin = state.Values("data_min"),
            _dataMax = state.Values("data_max"),
            _seen = (long)state.Number("n_samples_seen"),
        };
        scaler.Restored(state);
        scaler.UpdateScale();
        return scaler;
    }

    private protected override string Name => nameof(MinMaxScaler);

    private protected override void Reset() => (_dataMin, _dataMax, _seen) = ([], [], 0);

    private protected override void Accumulate(double[] values, int rows, int columns)
    {
        if (_dataMin.Length == 0)
        {
            _dataMin = [.. Enumerable.Repeat(double.NaN, columns)];
            _dataMax = [.. Enumerable.Repeat(double.NaN, columns)];
        }
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
            {
                double v = values[i * columns + j];
                if (double.IsNaN(v)) continue;
                // NaN (nothing seen yet) compares false, so the first value always replaces it.
                if (!(v >= _dataMin[j])) _dataMin[j] = v;
                if (!(v <= _dataMax[j])) _dataMax[j] = v;
            }
        _seen += rows;
        UpdateScale();
    }

    private void UpdateScale()
    {
        int columns = _dataMin.Length;
        _scale = new double[columns];
        _min = new double[columns];
        for (int j = 0; j < columns; j++)
        {
            double range = _dataMax[j] - _dataMin[j];
            // scikit-learn's _handle_zeros_in_scale: a range within 10 ulps of zero counts as zero.
            _scale[j] = (FeatureRange.Max - FeatureRange.Min) / (range < 10 * Math.ScaleB(1, -52) ? 1 : range);
            _min[j] = FeatureRange.Min - _dataMin[j] * _scale[j];
        }
    }

    private protected override double[] Forward(double[] values, int columns)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            int j = i % columns;
            double v = values[i] * _scale[j] + _min[j];
            result[i] = Clip && !double.IsNaN(v) ? Math.Clamp(v, FeatureRange.Min, FeatureRange.Max) : v;
        }
        return result;
    }

    private protected override double[] Backward(double[] values, int columns)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = (values[i] - _min[i % columns]) / _scale[i % columns];
        return result;
    }

    private protected override void SaveState(Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata)
    {
        metadata["feature_range_min"] = TransformerState.Text(FeatureRange.Min);
        metadata["feature_range_max"] = TransformerState.Text(FeatureRange.Max);
        metadata["clip"] = Clip ? "true" : "false";
        metadata["n_samples_seen"] = _seen.ToString(System.Globalization.CultureInfo.InvariantCulture);
        tensors["data_min"] = TransformerState.Vector(_dataMin);
        tensors["data_max"] = TransformerState.Vector(_dataMax);
    }
}
