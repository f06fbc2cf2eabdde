namespace Nabla.Data;

/// <summary>
/// Standardizes each feature to zero mean and unit variance, z = (x − mean) / scale, as
/// scikit-learn's <c>StandardScaler</c>: the variance is the population variance (divided by n);
/// a constant feature gets scale 1 (so it maps to 0, never to NaN); NaN values are ignored when
/// fitting and stay NaN. <see cref="FeatureScaler{TSelf}.PartialFit(Tensor)"/> updates the mean
/// and variance batch by batch with scikit-learn's streaming formulas (Chan, Golub and LeVeque).
/// </summary>
/// <example>
/// <code>
/// var scaler = new StandardScaler();
/// Tensor xTrain = scaler.FitTransform(trainX), xTest = scaler.Transform(testX);
/// </code>
/// </example>
public sealed class StandardScaler : FeatureScaler<StandardScaler>
{
    private double[]? _mean, _var, _scale;
    private long[] _seen = [];

    /// <summary>Creates an unfitted scaler.</summary>
    /// <param name="withMean">Subtract the mean (scikit-learn's <c>with_mean</c>).</param>
    /// <param name="withStd">Divide by the standard deviation (<c>with_std</c>).</param>
    public StandardScaler(bool withMean = true, bool withStd = true)
    {
        WithMean = withMean;
        WithStd = withStd;
    }

    /// <summary>Whether the mean is subtracted.</summary>
    public bool WithMean { get; }

    /// <summary>Whether values are divided by the standard deviation.</summary>
    public bool WithStd { get; }

    /// <summary>The mean of each feature (<c>mean_</c>); null when neither the mean nor the deviation is used.</summary>
    /// <exception cref="InvalidOperationException">The scaler is not fitted.</exception>
    public IReadOnlyList<double>? MeanValues => IsFitted ? _mean : throw NotFitted();

    /// <summary>The population variance of each feature (<c>var_</c>); null without <see cref="WithStd"/>.</summary>
    /// <exception cref="InvalidOperationException">The scaler is not fitted.</exception>
    public IReadOnlyList<double>? Var => IsFitted ? _var : throw NotFitted();

    /// <summary>The divisor of each feature (<c>scale_</c>): the standard deviation, or 1 for a constant feature; null without <see cref="WithStd"/>.</summary>
    /// <exception cref="InvalidOperationException">The scaler is not fitted.</exception>
    public IReadOnlyList<double>? Scale => IsFitted ? _scale : throw NotFitted();

    /// <summary>The number of (non-NaN) samples seen for each feature (<c>n_samples_seen_</c>).</summary>
    /// <exception cref="InvalidOperationException">The scaler is not fitted.</exception>
    public IReadOnlyList<long> NSamplesSeen => IsFitted ? _seen : throw NotFitted();

    /// <summary>Rebuilds a fitted scaler from <see cref="FeatureScaler{TSelf}.GetState"/>.</summary>
    /// <exception cref="InvalidDataException">A tensor or setting is missing or malformed.</exception>
    public static StandardScaler FromState(TransformerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var scaler = new StandardScaler(state.Flag("with_mean"), state.Flag("with_std"))
        {
            _mean = state.OptionalValues("mean"),
            _var = state.OptionalValues("var"),
            _scale = state.OptionalValues("scale"),
            _seen = [.. state.Values("n_samples_seen").Select(v => (long)v)],
        };
        scaler.Restored(state);
        return scaler;
    }

    private protected override string Name => nameof(StandardScaler);

    private protected override void Reset() => (_mean, _var, _scale, _seen) = (null, null, null, []);

    private protected override void Accumulate(double[] values, int rows, int columns)
    {
        if (_seen.Length == 0)
        {
            _seen = new long[columns];
            if (WithMean || WithStd) _mean = new double[columns];
            if (WithStd) _var = new double[columns];
        }
        var column = new double[rows];
        for (int j = 0; j < columns; j++)
        {
            int count = 0;
            for (int i = 0; i < rows; i++)
                if (!double.IsNaN(values[i * columns + j])) column[count++] = values[i * columns + j];
            if (_mean is not null) Update(j, column.AsSpan(0, count));
            _seen[j] += count;
        }
        if (_var is null) return;
        _scale = new double[columns];
        for (int j = 0; j < columns; j++) _scale[j] = ScaleOf(_var[j], _mean![j], _seen[j]);
    }

    /// <summary>
    /// The divisor for a feature of <paramref name="variance"/> and <paramref name="mean"/> over <paramref name="count"/> values:
    /// the standard deviation, or 1 when the variance is within rounding of zero (scikit-learn's <c>_is_constant_feature</c>).
    /// </summary>
    internal static double ScaleOf(double variance, double mean, long count)
    {
        double n = count, eps = Math.ScaleB(1, -52);
        double bound = n * eps * variance + (n * mean * eps) * (n * mean * eps);
        return variance <= bound ? 1 : Math.Sqrt(variance);
    }

    /// <summary>
    /// The statistics of a block of rows that a distributed fit merges: for each of the F features,
    /// the number of non-NaN values, their mean and their sum of squared deviations M2, laid out as
    /// counts (F), means (F), then M2 (F). A block without rows gives zeros.
    /// </summary>
    internal static double[] BlockMoments(DesignMatrix x)
    {
        int f = x.Columns;
        var moments = new double[3 * f];
        var column = new double[x.Rows];
        for (int j = 0; j < f; j++)
        {
            int count = 0;
            for (int i = 0; i < x.Rows; i++)
                if (!double.IsNaN(x.Values[i * f + j])) column[count++] = x.Values[i * f + j];
            if (count == 0) continue;
            double sum = 0, correction = 0, squares = 0;
            foreach (double v in column.AsSpan(0, count)) sum += v;
            double mean = sum / count;
            // Corrected two-pass: the correction term removes the rounding of the mean.
            foreach (double v in column.AsSpan(0, count))
            {
                correction += v - mean;
                squares += (v - mean) * (v - mean);
            }
            (moments[j], moments[f + j], moments[2 * f + j]) = (count, mean, squares - correction * correction / count);
        }
        return moments;
    }

    /// <summary>
    /// The scaler fitted on all the blocks whose <see cref="BlockMoments"/> are given, merged in
    /// block order by Chan, Golub and LeVeque's pairwise rule: for blocks a and b, n = nₐ + n_b,
    /// δ = mean_b − meanₐ, mean = meanₐ + δ·n_b/n and M2 = M2ₐ + M2_b + δ²·nₐ·n_b/n.
    /// </summary>
    internal static StandardScaler FromBlockMoments(bool withMean, bool withStd, int features, IReadOnlyList<double[]> blocks)
    {
        var counts = new double[features];
        var means = new double[features];
        var m2 = new double[features];
        foreach (var block in blocks)
        {
            for (int j = 0; j < features; j++)
            {
                double nb = block[j];
                if (nb == 0) continue;
                double na = counts[j], n = na + nb, delta = block[features + j] - means[j];
                means[j] += delta * nb / n;
                m2[j] += block[2 * features + j] + delta * delta * na * nb / n;
                counts[j] = n;
            }
        }
        var scaler = new StandardScaler(withMean, withStd) { _seen = Array.ConvertAll(counts, c => (long)c) };
        if (withMean || withStd) scaler._mean = means;
        if (withStd)
        {
            scaler._var = new double[features];
            scaler._scale = new double[features];
            for (int j = 0; j < features; j++)
            {
                scaler._var[j] = m2[j] / counts[j];
                scaler._scale[j] = ScaleOf(scaler._var[j], means[j], scaler._seen[j]);
            }
        }
        scaler.MarkFitted(features);
        return scaler;
    }

    /// <summary>scikit-learn's <c>_incremental_mean_and_var</c> for one feature and the batch's non-NaN values.</summary>
    private void Update(int j, ReadOnlySpan<double> batch)
    {
        long lastCount = _seen[j], newCount = batch.Length;
        double lastSum = _mean![j] * lastCount, newSum = 0;
        foreach (double v in batch) newSum += v;
        long updatedCount = lastCount + newCount;
        _mean[j] = (lastSum + newSum) / updatedCount;
        if (_var is null) return;

        // Corrected two-pass variance of the batch around its own mean.
        double batchMean = newSum / newCount, correction = 0, squares = 0;
        foreach (double v in batch)
        {
            correction += v - batchMean;
            squares += (v - batchMean) * (v - batchMean);
        }
        double newUnnormalized = squares - correction * correction / newCount;
        if (lastCount == 0)
        {
            _var[j] = newUnnormalized / updatedCount;
            return;
        }
        double lastUnnormalized = _var[j] * lastCount;
        double lastOverNew = (double)lastCount / newCount;
        double gap = lastSum / lastOverNew - newSum;
        _var[j] = (lastUnnormalized + newUnnormalized + lastOverNew / updatedCount * gap * gap) / updatedCount;
    }

    private protected override double[] Forward(double[] values, int columns)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            int j = i % columns;
            double v = values[i];
            if (WithMean) v -= _mean![j];
            if (_scale is not null) v /= _scale[j];
            result[i] = v;
        }
        return result;
    }

    private protected override double[] Backward(double[] values, int columns)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            int j = i % columns;
            double v = values[i];
            if (_scale is not null) v *= _scale[j];
            if (WithMean) v += _mean![j];
            result[i] = v;
        }
        return result;
    }

    private protected override void SaveState(Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata)
    {
        metadata["with_mean"] = WithMean ? "true" : "false";
        metadata["with_std"] = WithStd ? "true" : "false";
        if (_mean is not null) tensors["mean"] = TransformerState.Vector(_mean);
        if (_var is not null) tensors["var"] = TransformerState.Vector(_var);
        if (_scale is not null) tensors["scale"] = TransformerState.Vector(_scale);
        tensors["n_samples_seen"] = TransformerState.Vector([.. _seen.Select(c => (double)c)]);
    }
}
