namespace Nabla.Metrics;

/// <summary>
/// Scores of predicted numbers against true ones, with scikit-learn's names and semantics
/// (<c>sklearn.metrics</c>, version 1.2). Each metric takes 1-D arrays, (samples, outputs) matrices
/// (averaged over the outputs as <see cref="MultiOutput"/> says) or tensors; the <c>…PerOutput</c>
/// methods give one score per output (scikit-learn's <c>multioutput='raw_values'</c>).
/// </summary>
/// <example>
/// <code>
/// double[] yTrue = [3, -0.5, 2, 7], yPred = [2.5, 0.0, 2, 8];
/// double mse = RegressionMetrics.MeanSquaredError(yTrue, yPred);   // 0.375
/// double r2 = RegressionMetrics.R2(yTrue, yPred);                  // 0.9486…
/// </code>
/// </example>
public static class RegressionMetrics
{
    /// <summary>The mean of (y − ŷ)², as <c>mean_squared_error</c>.</summary>
    public static double MeanSquaredError(IReadOnlyList<double> yTrue, IReadOnlyList<double> yPred) => MeanSquaredError(Column(yTrue, nameof(yTrue)), Column(yPred, nameof(yPred)));

    /// <summary>The mean squared error of each output, averaged uniformly.</summary>
    public static double MeanSquaredError(double[,] yTrue, double[,] yPred) => MeanSquaredErrorPerOutput(yTrue, yPred).Average();

    /// <summary>The mean squared error of a 1-D or (samples, outputs) tensor, averaged over outputs.</summary>
    public static double MeanSquaredError(Tensor yTrue, Tensor yPred) => MeanSquaredError(Matrix(yTrue, nameof(MeanSquaredError), nameof(yTrue)), Matrix(yPred, nameof(MeanSquaredError), nameof(yPred)));

    /// <summary>The mean squared error of each output (column).</summary>
    /// <exception cref="ArgumentException">The shapes differ or there are no samples.</exception>
    public static double[] MeanSquaredErrorPerOutput(double[,] yTrue, double[,] yPred) =>
        PerOutput(nameof(MeanSquaredError), yTrue, yPred, column => column.Errors.Select(e => e * e).Average());

    /// <summary>The square root of the mean squared error, as <c>mean_squared_error(squared=False)</c>.</summary>
    public static double RootMeanSquaredError(IReadOnlyList<double> yTrue, IReadOnlyList<double> yPred) => RootMeanSquaredError(Column(yTrue, nameof(yTrue)), Column(yPred, nameof(yPred)));

    /// <summary>The root mean squared error of each output, averaged uniformly (the mean of the roots, as scikit-learn).</summary>
    public static double RootMeanSquaredError(double[,] yTrue, double[,] yPred) => RootMeanSquaredErrorPerOutput(yTrue, yPred).Average();

    /// <summary>The root mean squared error of a 1-D or (samples, outputs) tensor, averaged over outputs.</summary>
    public static double RootMeanSquaredError(Tensor yTrue, Tensor yPred) => RootMeanSquaredError(Matrix(yTrue, nameof(RootMeanSquaredError), nameof(yTrue)), Matrix(yPred, nameof(RootMeanSquaredError), nameof(yPred)));

    /// <summary>The root mean squared error of each output (column).</summary>
    public static double[] RootMeanSquaredErrorPerOutput(double[,] yTrue, double[,] yPred) =>
        [.. PerOutput(nameof(RootMeanSquaredError), yTrue, yPred, column => column.Errors.Select(e => e * e).Average()).Select(Math.Sqrt)];

    /// <summary>The mean of |y − ŷ|, as <c>mean_absolute_error</c>.</summary>
    public static double MeanAbsoluteError(IReadOnlyList<double> yTrue, IReadOnlyList<double> yPred) => MeanAbsoluteError(Column(yTrue, nameof(yTrue)), Column(yPred, nameof(yPred)));

    /// <summary>The mean absolute error of each output, averaged uniformly.</summary>
    public static double MeanAbsoluteError(double[,] yTrue, double[,] yPred) => MeanAbsoluteErrorPerOutput(yTrue, yPred).Average();

    /// <summary>The mean absolute error of a 1-D or (samples, outputs) tensor, averaged over outputs.</summary>
    public static double MeanAbsoluteError(Tensor yTrue, Tensor yPred) => MeanAbsoluteError(Matrix(yTrue, nameof(MeanAbsoluteError), nameof(yTrue)), Matrix(yPred, nameof(MeanAbsoluteError), nameof(yPred)));

    /// <summary>The mean absolute error of each output (column).</summary>
    public static double[] MeanAbsoluteErrorPerOutput(double[,] yTrue, double[,] yPred) =>
        PerOutput(nameof(MeanAbsoluteError), yTrue, yPred, column => column.Errors.Select(Math.Abs).Average());

    /// <summary>The median of |y − ŷ| (robust to outliers), as <c>median_absolute_error</c>.</summary>
    public static double MedianAbsoluteError(IReadOnlyList<double> yTrue, IReadOnlyList<double> yPred) => MedianAbsoluteError(Column(yTrue, nameof(yTrue)), Column(yPred, nameof(yPred)));

    /// <summary>The median absolute error of each output, averaged uniformly.</summary>
    public static double MedianAbsoluteError(double[,] yTrue, double[,] yPred) => MedianAbsoluteErrorPerOutput(yTrue, yPred).Average();

    /// <summary>The median absolute error of a 1-D or (samples, outputs) tensor, averaged over outputs.</summary>
    public static double MedianAbsoluteError(Tensor yTrue, Tensor yPred) => MedianAbsoluteError(Matrix(yTrue, nameof(MedianAbsoluteError), nameof(yTrue)), Matrix(yPred, nameof(MedianAbsoluteError), nameof(yPred)));

    /// <summary>The median absolute error of each output (column); an even count takes the mean of the two middle values, as NumPy.</summary>
    public static double[] MedianAbsoluteErrorPerOutput(double[,] yTrue, double[,] yPred) =>
        PerOutput(nameof(MedianAbsoluteError), yTrue, yPred, column =>
        {
            var sorted = column.Errors.Select(Math.Abs).Order().ToArray();
            int middle = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        });

    /// <summary>
    /// The coefficient of determination R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)², as <c>r2_score</c>: 1 is a
    /// perfect fit, 0 predicts no better than the mean, and it can be negative. A constant true
    /// output scores 1 when predicted exactly and 0 otherwise (scikit-learn's <c>force_finite</c>);
    /// fewer than two samples give NaN (scikit-learn warns and returns NaN).
    /// </summary>
    public static double R2(IReadOnlyList<double> yTrue, IReadOnlyList<double> yPred) => R2(Column(yTrue, nameof(yTrue)), Column(yPred, nameof(yPred)));

    /// <summary>R² of each output, combined as <paramref name="multiOutput"/> says.</summary>
    /// <exception cref="ArgumentException">The shapes differ or there are no samples.</exception>
    public static double R2(double[,] yTrue, double[,] yPred, MultiOutput multiOutput = MultiOutput.UniformAverage) =>
        Combine(nameof(R2), yTrue, yPred, multiOutput, static column => (column.Errors.Select(e => e * e).Sum(), column.Deviations.Select(d => d * d).Sum()));

    /// <summary>R² of a 1-D or (samples, outputs) tensor, combined over outputs as <paramref name="multiOutput"/> says.</summary>
    public static double R2(Tensor yTrue, Tensor yPred, MultiOutput multiOutput = MultiOutput.UniformAverage) =>
        R2(Matrix(yTrue, nameof(R2), nameof(yTrue)), Matrix(yPred, nameof(R2), nameof(yPred)), multiOutput);

    /// <summary>R² of each output (column).</summary>
    public static double[] R2PerOutput(double[,] yTrue, double[,] yPred) =>
        [.. Ratios(nameof(R2), yTrue, yPred, static column => (column.Errors.Select(e => e * e).Sum(), column.Deviations.Select(d => d * d).Sum())).Select(r => r.Score)];

    /// <summary>
    /// The explained variance 1 − Var(y − ŷ) / Var(y), as <c>explained_variance_score</c>: R² that
    /// forgives a constant bias in the predictions. Constant outputs follow the same rule as <see cref="R2(IReadOnlyList{double}, IReadOnlyList{double})"/>.
    /// </summary>
    public static double ExplainedVariance(IReadOnlyList<double> yTrue, IReadOnlyList<double> yPred) => ExplainedVariance(Column(yTrue, nameof(yTrue)), Column(yPred, nameof(yPred)));

    /// <summary>The explained variance of each output, combined as <paramref name="multiOutput"/> says.</summary>
    public static double ExplainedVariance(double[,] yTrue, double[,] yPred, MultiOutput multiOutput = MultiOutput.UniformAverage) =>
        Combine(nameof(ExplainedVariance), yTrue, yPred, multiOutput, ExplainedVarianceTerms);

    /// <summary>The explained variance of a 1-D or (samples, outputs) tensor, combined over outputs as <paramref name="multiOutput"/> says.</summary>
    public static double ExplainedVariance(Tensor yTrue, Tensor yPred, MultiOutput multiOutput = MultiOutput.UniformAverage) =>
        ExplainedVariance(Matrix(yTrue, nameof(ExplainedVariance), nameof(yTrue)), Matrix(yPred, nameof(ExplainedVariance), nameof(yPred)), multiOutput);

    /// <summary>The explained variance of each output (column).</summary>
    public static double[] ExplainedVariancePerOutput(double[,] yTrue, double[,] yPred) =>
        [.. Ratios(nameof(ExplainedVariance), yTrue, yPred, ExplainedVarianceTerms).Select(r => r.Score)];

    /// <summary>One output's values: the errors y − ŷ and the deviations y − ȳ.</summary>
    private sealed record OutputColumn(double[] Errors, double[] Deviations);

    private static (double Numerator, double Denominator) ExplainedVarianceTerms(OutputColumn column)
    {
        double meanError = column.Errors.Average();
        return (column.Errors.Select(e => (e - meanError) * (e - meanError)).Average(), column.Deviations.Select(d => d * d).Average());
    }

    private static double[] PerOutput(string metric, double[,] yTrue, double[,] yPred, Func<OutputColumn, double> score) =>
        [.. Columns(metric, yTrue, yPred).Select(score)];

    private static IEnumerable<OutputColumn> Columns(string metric, double[,] yTrue, double[,] yPred)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        int n = yTrue.GetLength(0), k = yTrue.GetLength(1);
        MetricInputs.CheckLengths(metric, n, yPred.GetLength(0));
        if (yPred.GetLength(1) != k)
            throw new ShapeMismatchException($"{metric}: yTrue has {k} outputs but yPred has {yPred.GetLength(1)}; shapes [{n}, {k}] and [{yPred.GetLength(0)}, {yPred.GetLength(1)}].");
        if (k == 0) throw new ArgumentException($"{metric}: yTrue and yPred have no outputs (0 columns).");
        var columns = new OutputColumn[k];
        for (int j = 0; j < k; j++)
        {
            var errors = new double[n];
            var deviations = new double[n];
            double mean = 0;
            for (int i = 0; i < n; i++) mean += yTrue[i, j];
            mean /= n;
            for (int i = 0; i < n; i++)
            {
                errors[i] = yTrue[i, j] - yPred[i, j];
                deviations[i] = yTrue[i, j] - mean;
            }
            columns[j] = new OutputColumn(errors, deviations);
        }
        return columns;
    }

    /// <summary>1 − numerator / denominator per output, with scikit-learn's rule for zero terms, and the denominators as weights.</summary>
    private static (double Score, double Numerator, double Denominator)[] Ratios(string metric, double[,] yTrue, double[,] yPred, Func<OutputColumn, (double, double)> terms)
    {
        var columns = Columns(metric, yTrue, yPred).ToArray();
        if (yTrue.GetLength(0) < 2) return [.. columns.Select(_ => (double.NaN, double.NaN, double.NaN))];
        return [.. columns.Select(column =>
        {
            var (numerator, denominator) = terms(column);
            double score = denominator != 0 ? 1 - numerator / denominator : numerator != 0 ? 0 : 1;
            return (score, numerator, denominator);
        })];
    }

    private static double Combine(string metric, double[,] yTrue, double[,] yPred, MultiOutput multiOutput, Func<OutputColumn, (double, double)> terms)
    {
        var ratios = Ratios(metric, yTrue, yPred, terms);
        switch (multiOutput)
        {
            case MultiOutput.UniformAverage:
                return ratios.Average(r => r.Score);
            case MultiOutput.VarianceWeighted:
                // All true outputs constant: every weight is 0, so scikit-learn falls back to the uniform mean.
                if (ratios.All(r => r.Denominator == 0)) return ratios.Average(r => r.Score);
                return ratios.Sum(r => r.Score * r.Denominator) / ratios.Sum(r => r.Denominator);
            default:
                throw new ArgumentOutOfRangeException(nameof(multiOutput), multiOutput, $"{metric}: unknown multi-output mode.");
        }
    }

    private static double[,] Column(IReadOnlyList<double> values, string name) => MetricInputs.Column(values, name);

    private static double[,] Matrix(Tensor values, string metric, string name) => MetricInputs.Matrix(values, metric, name);
}
