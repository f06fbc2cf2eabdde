using System.Numerics.Tensors;
using Nabla.Data;

namespace Nabla.Estimators;

/// <summary>
/// Stochastic gradient descent on one linear problem, a port of scikit-learn 1.2's
/// <c>_plain_sgd</c>: a sample at a time, in order (or shuffled each epoch), the weights move by
/// −η·∂loss/∂p·x after the L2 part of the penalty shrinks them; the L1 part is applied as
/// Tsuruoka's cumulative truncated gradient; averaged SGD follows Bottou's sparse trick.
/// </summary>
/// <remarks>
/// <para>
/// The weights are kept as w = scale·v, so that the L2 shrink is one multiplication of
/// <c>scale</c> instead of a pass over the features (scikit-learn's <c>WeightVector</c>); v is
/// rescaled when the scale falls below 1e-9. The arithmetic follows scikit-learn's order, so that
/// with the same sample order the steps agree to rounding.
/// </para>
/// <para>
/// Stopping: after each epoch, without early stopping, the summed training loss counts as not
/// improving when it exceeds the best so far minus tol·(training samples); with early stopping,
/// the validation score counts when it is below the best plus tol. After nIterNoChange such
/// epochs in a row the fit stops (the adaptive schedule first divides η by 5, while η &gt; 1e-6).
/// </para>
/// </remarks>
internal sealed class SgdSolver(SgdSettings settings, SgdLoss loss)
{
    // scikit-learn clips the loss derivative here against overflow.
    private const double MaxDerivative = 1e12;

    // The scale below which WeightVector folds it back into the weights.
    private const double ScaleResetThreshold = 1e-9;

    // The adaptive schedule stops dividing η below this.
    private const double AdaptiveFloor = 1e-6;

    /// <summary>How a run ended: the epochs it took, the mean training loss of each epoch (empty with early stopping) and the validation scores (empty without).</summary>
    public readonly record struct Outcome(int Epochs, double[] LossCurve, double[] ValidationScores);

    /// <summary>
    /// Runs up to <paramref name="maxIter"/> epochs over the rows of <paramref name="x"/> not in
    /// <paramref name="validation"/>, updating row <paramref name="row"/> of <paramref name="parameters"/>.
    /// </summary>
    /// <param name="x">The samples.</param>
    /// <param name="y">The targets (±1 for classification).</param>
    /// <param name="validation">The held-out samples: skipped by the updates, scored by <paramref name="validationScore"/>.</param>
    /// <param name="parameters">The weights, updated in place.</param>
    /// <param name="row">Which problem of <paramref name="parameters"/> to update.</param>
    /// <param name="t">The update count the schedule starts from (scikit-learn's <c>t_</c>, 1 for a fresh fit).</param>
    /// <param name="weightPositive">The class weight of samples with y &gt; 0.</param>
    /// <param name="weightNegative">The class weight of the others.</param>
    /// <param name="maxIter">The most epochs.</param>
    /// <param name="shuffle">The generator that shuffles the samples each epoch, or null to keep their order.</param>
    /// <param name="validationScore">The score of (weights, intercept) on the held-out samples, for early stopping.</param>
    /// <exception cref="ArgumentException">The weights overflowed.</exception>
    public Outcome Run(DesignMatrix x, double[] y, bool[] validation, SgdParameters parameters, int row, double t,
        double weightPositive, double weightNegative, int maxIter, Generator? shuffle, Func<double[], double, double>? validationScore)
    {
        int n = x.Rows, f = x.Columns;
        var w = parameters.Coef.AsSpan(row * f, f);
        var averaged = parameters.AverageCoef is { } a ? a.AsSpan(row * f, f) : default;
        double intercept = parameters.Intercept[row], averageIntercept = parameters.AverageIntercept[row];
        double scale = 1, averageA = 0, averageB = 1;

        var penalty = settings.Penalty;
        bool shrinks = penalty is Penalty.L2 or Penalty.ElasticNet, truncates = penalty is Penalty.L1 or Penalty.ElasticNet;
        double l1Ratio = penalty == Penalty.L2 ? 0 : penalty == Penalty.L1 ? 1 : settings.L1Ratio;
        var truncated = truncates ? new double[f] : null;
        double cumulativeL1 = 0;

        double alpha = settings.Alpha, eta = settings.Eta0, optimalInit = 0;
        if (settings.LearningRate == SgdLearningRate.Optimal)
        {
            // Bottou's heuristic: the first step is the size of a typical weight, 1/√√α.
            double typicalWeight = Math.Sqrt(1.0 / Math.Sqrt(alpha));
            double initialEta = typicalWeight / Math.Max(1.0, loss.Derivative(-typicalWeight, 1.0));
            optimalInit = 1.0 / (initialEta * alpha);
        }

        int trainCount = n - validation.Count(held => held);
        double tol = settings.Tol ?? double.NegativeInfinity;
        double bestLoss = double.PositiveInfinity, bestScore = double.NegativeInfinity;
        int noImprovement = 0, epoch = 0;
        var lossCurve = new List<double>();
        var validationScores = new List<double>();
        var order = Enumerable.Range(0, n).ToArray();
        double[]? current = validationScore is null ? null : new double[f];

        for (epoch = 0; epoch < maxIter; epoch++)
        {
            double sumLoss = 0;
            shuffle?.Shuffle<int>(order);
            foreach (int i in order)
            {
                if (validation[i]) continue;
                var sample = x.Values.AsSpan(i * f, f);
                double target = y[i];
                double p = SequentialDot(w, sample) * scale + intercept;
                if (settings.LearningRate == SgdLearningRate.Optimal) eta = 1.0 / (alpha * (optimalInit + t - 1));
                else if (settings.LearningRate == SgdLearningRate.InvScaling) eta = settings.Eta0 / Math.Pow(t, settings.PowerT);
                if (!settings.EarlyStopping) sumLoss += loss.Value(p, target);

                double update = -eta * Math.Clamp(loss.Derivative(p, target), -MaxDerivative, MaxDerivative);
                update *= target > 0 ? weightPositive : weightNegative;

                if (shrinks)
                {
                    // Never scale to negative values when η or α are too big: zero the weights instead.
                    scale *= Math.Max(0, 1.0 - (1.0 - l1Ratio) * eta * alpha);
                    if (scale < ScaleResetThreshold) ResetScale(w, averaged, ref scale, ref averageA, ref averageB);
                }
                if (update != 0.0) TensorPrimitives.MultiplyAdd(sample, update / scale, w, w);
                if (settings.FitIntercept) intercept += update;

                if (settings.Average > 0 && settings.Average <= t)
                {
                    double updates = t - settings.Average + 1;
                    AddAverage(sample, averaged, update, updates, scale, ref averageA, ref averageB);
                    averageIntercept += (intercept - averageIntercept) / updates;
                }
                if (truncates)
                {
                    cumulativeL1 += l1Ratio * eta * alpha;
                    Truncate(w, truncated!, cumulativeL1, scale);
                }
                t += 1;
            }

            if (!double.IsFinite(intercept) || !double.IsFinite(TensorPrimitives.Sum<double>(w) * 0))
                throw new ArgumentException($"Floating-point overflow at epoch {epoch + 1}: the weights are no longer finite. Scale the features (StandardScaler or MinMaxScaler) or lower eta0 or alpha.");

            if (validationScore is not null)
            {
                TensorPrimitives.Multiply(w, scale, current);
                double score = validationScore(current!, intercept);
                validationScores.Add(score);
                noImprovement = tol > double.NegativeInfinity && score < bestScore + tol ? noImprovement + 1 : 0;
                bestScore = Math.Max(bestScore, score);
            }
            else
            {
                lossCurve.Add(sumLoss / trainCount);
                noImprovement = tol > double.NegativeInfinity && sumLoss > bestLoss - tol * trainCount ? noImprovement + 1 : 0;
                bestLoss = Math.Min(bestLoss, sumLoss);
            }

            if (noImprovement >= settings.NIterNoChange)
            {
                if (settings.LearningRate == SgdLearningRate.Adaptive && eta > AdaptiveFloor)
                {
                    eta /= 5;
                    noImprovement = 0;
                }
                else
                {
                    epoch++;
                    break;
                }
            }
        }

        ResetScale(w, averaged, ref scale, ref averageA, ref averageB);
        parameters.Intercept[row] = intercept;
        parameters.AverageIntercept[row] = averageIntercept;
        return new Outcome(Math.Min(epoch, maxIter), [.. lossCurve], [.. validationScores]);
    }

    /// <summary>
    /// w·x summed left to right, as scikit-learn's <c>WeightVector.dot</c>: a vectorised sum rounds
    /// differently, and SGD's large early steps (η ≈ 10 for the Optimal schedule) amplify that to
    /// 1e-5 in the final weights; summed in order, the weights agree with scikit-learn's to 1e-6.
    /// </summary>
    private static double SequentialDot(ReadOnlySpan<double> w, ReadOnlySpan<double> x)
    {
        double sum = 0;
        for (int j = 0; j < w.Length; j++) sum += w[j] * x[j];
        return sum;
    }

    /// <summary>Folds the scale into the weights (and the lazy average terms into the averaged weights).</summary>
    private static void ResetScale(Span<double> w, Span<double> averaged, ref double scale, ref double averageA, ref double averageB)
    {
        if (!averaged.IsEmpty)
        {
            TensorPrimitives.MultiplyAdd(w, averageA, averaged, averaged);
            TensorPrimitives.Multiply(averaged, 1.0 / averageB, averaged);
            (averageA, averageB) = (0, 1);
        }
        TensorPrimitives.Multiply(w, scale, w);
        scale = 1;
    }

    /// <summary>Bottou's averaged-SGD bookkeeping (scikit-learn's <c>add_average</c>): the average is (averaged + A·v) / B.</summary>
    private static void AddAverage(ReadOnlySpan<double> sample, Span<double> averaged, double update, double updates, double scale,
        ref double averageA, ref double averageB)
    {
        double mu = 1.0 / updates;
        TensorPrimitives.MultiplyAdd(sample, averageA * (-update / scale), averaged, averaged);
        if (updates > 1) averageB /= 1.0 - mu;
        averageA += mu * averageB * scale;
    }

    /// <summary>
    /// The cumulative L1 penalty (Tsuruoka, Tsujii and Ananiadou 2009): each weight moves toward
    /// zero by what the total penalty <paramref name="total"/> allows beyond what it already
    /// received (<paramref name="received"/>), and never past zero.
    /// </summary>
    private static void Truncate(Span<double> w, double[] received, double total, double scale)
    {
        for (int j = 0; j < w.Length; j++)
        {
            double z = w[j];
            if (scale * z > 0) w[j] = Math.Max(0, w[j] - (total + received[j]) / scale);
            else if (scale * z < 0) w[j] = Math.Min(0, w[j] + (total - received[j]) / scale);
            received[j] += scale * (w[j] - z);
        }
    }
}
