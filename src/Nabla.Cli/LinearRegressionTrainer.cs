using System.Diagnostics;

namespace Nabla.Cli;

/// <summary>
/// Fits the linear model y = X·w + b to a data set by full-batch gradient descent on the mean
/// squared error, with the gradients from Nabla's automatic differentiation.
/// </summary>
internal static class LinearRegressionTrainer
{
    /// <summary>Runs <see cref="TrainSettings.Epochs"/> gradient steps and measures the fit.</summary>
    /// <param name="data">The training data; features are standardised here, the target is used as it is.</param>
    /// <param name="settings">Epochs, learning rate and seed.</param>
    /// <param name="reportEvery">Report the loss at epoch 1, every this many epochs, and at the last epoch.</param>
    /// <param name="onReport">Called with each reported loss, as training goes.</param>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public static TrainResult Fit(Dataset data, TrainSettings settings, int reportEvery, Action<EpochLoss>? onReport = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(reportEvery);
        var clock = Stopwatch.StartNew();
        int n = data.Rows, d = data.Columns;
        double lr = settings.LearningRate;

        // Standardised features give the loss a well-conditioned bowl, so one learning rate suits
        // every weight; without it the raw units (years, mg/dL) differ by orders of magnitude.
        var (mean, scale) = ColumnMeansAndScales(data);
        var x = (Tensor.FromArray(data.Features, n, d) - Tensor.FromArray(mean, 1, d)) / Tensor.FromArray(scale, 1, d);
        var y = Tensor.FromArray(data.Target, n, 1);

        // A small random start: the problem is convex, so the seed changes the path, not the answer.
        var w = (Tensor.Randn([d, 1], new Generator(settings.Seed)) * 0.01).RequiresGradient();
        var b = Tensor.Zeros(1).RequiresGradient();

        var history = new List<EpochLoss>();
        for (int epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            var residual = x.MatMul(w) + b - y;
            var loss = (residual * residual).Mean();
            double value = loss.Item();
            if (!double.IsFinite(value)) throw new TrainingDivergedException(epoch, lr, value);
            if (epoch == 1 || epoch % reportEvery == 0 || epoch == settings.Epochs)
            {
                var point = new EpochLoss(epoch, value);
                history.Add(point);
                onReport?.Invoke(point);
            }

            loss.Backward();
            using (Autograd.NoGrad())
            {
                // New leaves rather than in-place updates: the graph of this epoch was freed by Backward.
                w = (w - w.Grad! * lr).RequiresGradient();
                b = (b - b.Grad! * lr).RequiresGradient();
            }
        }

        double mse, variance;
        using (Autograd.NoGrad())
        {
            var residual = x.MatMul(w) + b - y;
            mse = (residual * residual).Mean().Item();
            variance = y.Var(correction: 0).Item();
        }
        // The last step itself can overshoot to infinity.
        if (!double.IsFinite(mse)) throw new TrainingDivergedException(settings.Epochs, lr, mse);

        var weights = w.ToDoubleArray();
        double bias = b.Item();
        // Undo the standardisation: w·(x − μ)/σ + b = (w/σ)·x + (b − Σ w μ/σ).
        var coefficients = new double[d];
        double intercept = bias;
        for (int j = 0; j < d; j++)
        {
            coefficients[j] = weights[j] / scale[j];
            intercept -= coefficients[j] * mean[j];
        }

        return new TrainResult
        {
            Dataset = data.Name,
            Samples = n,
            FeatureNames = data.FeatureNames,
            TargetName = data.TargetName,
            Settings = settings,
            StandardizedWeights = weights,
            Bias = bias,
            Coefficients = coefficients,
            Intercept = intercept,
            Mse = mse,
            R2 = 1 - mse / variance,
            History = history,
            Elapsed = clock.Elapsed,
        };
    }

    /// <summary>
    /// Each column's mean and population standard deviation, in double precision; a constant
    /// column gets scale 1 (as scikit-learn's StandardScaler), so it becomes zeros rather than NaN.
    /// </summary>
    private static (float[] Mean, float[] Scale) ColumnMeansAndScales(Dataset data)
    {
        int n = data.Rows, d = data.Columns;
        var sum = new double[d];
        var sumOfSquares = new double[d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
                sum[j] += data.Features[i * d + j];
        var mean = new float[d];
        for (int j = 0; j < d; j++) mean[j] = (float)(sum[j] / n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
            {
                double centered = data.Features[i * d + j] - sum[j] / n;
                sumOfSquares[j] += centered * centered;
            }
        var scale = new float[d];
        for (int j = 0; j < d; j++)
        {
            double std = Math.Sqrt(sumOfSquares[j] / n);
            scale[j] = std > 1e-12 * Math.Max(1, Math.Abs(sum[j] / n)) ? (float)std : 1f;
        }
        return (mean, scale);
    }
}
