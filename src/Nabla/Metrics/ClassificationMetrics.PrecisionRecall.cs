using Nabla.Data;

namespace Nabla.Metrics;

public static partial class ClassificationMetrics
{
    /// <summary>Precision of one positive class, tp / (tp + fp), as <c>precision_score(average='binary', pos_label=posLabel)</c>.</summary>
    /// <param name="yTrue">The true labels: at most two classes.</param>
    /// <param name="yPred">The predicted labels.</param>
    /// <param name="posLabel">The positive class (scikit-learn's default is 1).</param>
    /// <param name="zeroDivision">The value when nothing is predicted positive: 0 (scikit-learn's "warn", without the warning) or 1.</param>
    /// <exception cref="ArgumentException">The lengths differ, the inputs are empty, there are more than two classes, or <paramref name="posLabel"/> is not one of the two.</exception>
    public static double Precision<T>(IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred, T posLabel, double zeroDivision = 0) where T : notnull =>
        Binary(nameof(Precision), yTrue, yPred, posLabel, 1, zeroDivision).Precision[0];

    /// <summary>Precision averaged over classes, as <c>precision_score(average=...)</c>.</summary>
    /// <param name="yTrue">The true labels.</param>
    /// <param name="yPred">The predicted labels.</param>
    /// <param name="average">How the per-class precisions are combined.</param>
    /// <param name="labels">The classes to score; by default every label of either input.</param>
    /// <param name="zeroDivision">The precision of a class nothing is predicted as: 0 (scikit-learn's "warn", without the warning) or 1.</param>
    /// <exception cref="ArgumentException">The lengths differ or the inputs are empty.</exception>
    public static double Precision<T>(IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred, Average average, IReadOnlyList<T>? labels = null, double zeroDivision = 0) where T : notnull =>
        Averaged(nameof(Precision), yTrue, yPred, average, 1, labels, zeroDivision).Precision;

    /// <summary>The precision of each class, as <c>precision_score(average=None)</c>.</summary>
    /// <param name="yTrue">The true labels.</param>
    /// <param name="yPred">The predicted labels.</param>
    /// <param name="labels">The classes and their order; by default every label of either input, sorted.</param>
    /// <param name="zeroDivision">The precision of a class nothing is predicted as: 0 or 1.</param>
    public static double[] PrecisionPerClass<T>(IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred, IReadOnlyList<T>? labels = null, double zeroDivision = 0) where T : notnull =>
        [.. PrecisionRecallFScoreSupport(yTrue, yPred, 1, labels, zeroDivision).Precision];

    /// <summary>Recall of one positive class, tp / (tp + fn), as <c>recall_score(average='binary', pos_label=posLabel)</c>.</summary>
    /// <param name="yTrue">The true labels: at most two classes.</param>
    /// <param name="yPred">The predicted labels.</param>
    /// <param name="posLabel">The positive class (scikit-learn's default is 1).</param>
    /// <param name="zeroDivision">The value when no sample is truly positive: 0 or 1.</param>
    /// <exception cref="ArgumentException">The lengths differ, the inputs are empty, there are more than two classes, or <paramref name="posLabel"/> is not one of the two.</exception>
    public static double Recall<T>(IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred, T posLabel, double zeroDivision = 0) where T : notnull =>
        Binary(nameof(Recall), yTrue, yPred, posLabel, 1, zeroDivision).Recall[0];

    /// <summary>Recall averaged over classes, as <c>recall_score(average=...)</c>; micro-averaged recall equals accuracy.</summary>
    /// <param name="yTrue">The true labels.</param>
    /// <param name="yPred">The predicted labels.</param>
    /// <param name="average">How the per-class recalls are combined.</param>
    /// <param name="labels">The classes to score; by default every label of either input.</param>
    /// <param name="zeroDivision">The recall of a class with no true samples: 0 or 1.</param>
    public static double Recall<T>(IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred, Average average, IReadOnlyList<T>? labels = null, double zeroDivision = 0) where T : notnull =>
        Averaged(nameof(Recall), yTrue, yPred, average, 1, labels, zeroDivision).Recall;

    /// <summary>The recall of each class, as <c>recall_score(average=None)</c>.</summary>
    /// <param name="yTrue">The true labels.</param>
    /// <param name="yPred">The predicted labels.</param>
    /// <param name="labels">The classes and their order; by default every label of either input, sorted.</param>
    /// <param name="zeroDivision">The recall of a class with no true samples: 0 or 1.</param>
    public static double[] RecallPerClass<T>(IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred, IReadOnlyList<T>? labels = null, double zeroDivision = 0) where T : notnull =>
        [.. PrecisionRecallFScoreSupport(yTrue, yPred, 1, labels, zeroDivision).Recall];

    /// <summary>F1 of one positive class, the harmonic mean of its precision and recall, as <c>f1_score(average='binary', pos_label=posLabel)</c>.</summary>
    /// <param name="yTrue">The true labels: at most two classes.</param>
    /// <param name="yPred">The predicted labels.</param>
    /// <param name="posLabel">The positive class (scikit-learn's default is 1).</param>
    /// <param name="zeroDivision">The value used for a precision or recall that divides by zero: 0 or 1.</param>
    public static double F1<T>(IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred, T posLabel, double zeroDivision = 0) where T : notnull =>
        Binary(nameof(F1), yTrue, yPred, posLabel, 1, zeroDivision).FScore[0];

    /// <summary>F1 averaged over classes, as <c>f1_score(average=...)</c>.</summary>
    /// <param name="yTrue">The true labels.</param>
    /// <param name="yPred">The predicted labels.</param>
    /// <param name="average">How the per-class F1 scores are combined.</param>
    /// <param name="labels">The classes to score; by default every label of either input.</param>
    /// <param name="zeroDivision">The value used for a precision or recall that divides by zero: 0 or 1.</param>
    public static double F1<T>(IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred, Average average, IReadOnlyList<T>? labels = null, double zeroDivision = 0) where T : notnull =>
        Averaged(nameof(F1), yTrue, yPred, average, 1, labels, zeroDivision).FScore;

    /// <summary>The F1 score of each class, as <c>f1_score(average=None)</c>.</summary>
    /// <param name="yTrue">The true labels.</param>
    /// <param name="yPred">The predicted labels.</param>
    /// <param name="labels">The classes and their order; by default every label of either input, sorted.</param>
    /// <param name="zeroDivision">The value used for a precision or recall that divides by zero: 0 or 1.</param>
    public static double[] F1PerClass<T>(IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred, IReadOnlyList<T>? labels = null, double zeroDivision = 0) where T : notnull =>
        [.. PrecisionRecallFScoreSupport(yTrue, yPred, 1, labels, zeroDivision).FScore];

    /// <summary>
    /// F-beta of one positive class, (1 + β²)·P·R / (β²·P + R), as <c>fbeta_score(average='binary')</c>:
    /// β &gt; 1 favours recall, β &lt; 1 precision; β = ∞ gives the recall.
    /// </summary>
    /// <param name="yTrue">The true labels: at most two classes.</param>
    /// <param name="yPred">The predicted labels.</param>
    /// <param name="beta">The weight of recall, β ≥ 0.</param>
    /// <param name="posLabel">The positive class (scikit-learn's default is 1).</param>
    /// <param name="zeroDivision">The value used for a precision or recall that divides by zero: 0 or 1.</param>
    public static double FBeta<T>(IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred, double beta, T posLabel, double zeroDivision = 0) where T : notnull =>
        Binary(nameof(FBeta), yTrue, yPred, posLabel, beta, zeroDivision).FScore[0];

    /// <summary>F-beta averaged over classes, as <c>fbeta_score(average=...)</c>.</summary>
    /// <param name="yTrue">The true labels.</param>
    /// <param name="yPred">The predicted labels.</param>
    /// <param name="beta">The weight of recall, β ≥ 0.</param>
    /// <param name="average">How the per-class scores are combined.</param>
    /// <param name="labels">The classes to score; by default every label of either input.</param>
    /// <param name="zeroDivision">The value used for a precision or recall that divides by zero: 0 or 1.</param>
    public static double FBeta<T>(IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred, double beta, Average average, IReadOnlyList<T>? labels = null, double zeroDivision = 0) where T : notnull =>
        Averaged(nameof(FBeta), yTrue, yPred, average, beta, labels, zeroDivision).FScore;

    /// <summary>The F-beta score of each class, as <c>fbeta_score(average=None)</c>.</summary>
    /// <param name="yTrue">The true labels.</param>
    /// <param name="yPred">The predicted labels.</param>
    /// <param name="beta">The weight of recall, β ≥ 0.</param>
    /// <param name="labels">The classes and their order; by default every label of either input, sorted.</param>
    /// <param name="zeroDivision">The value used for a precision or recall that divides by zero: 0 or 1.</param>
    public static double[] FBetaPerClass<T>(IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred, double beta, IReadOnlyList<T>? labels = null, double zeroDivision = 0) where T : notnull =>
        [.. PrecisionRecallFScoreSupport(yTrue, yPred, beta, labels, zeroDivision).FScore];

    /// <summary>Binary precision of 1-D label tensors.</summary>
    public static double Precision(Tensor yTrue, Tensor yPred, int posLabel = 1, double zeroDivision = 0) =>
        Precision(TrueLabels(yTrue, nameof(Precision)), PredictedLabels(yPred, nameof(Precision)), posLabel, zeroDivision);

    /// <summary>Averaged precision of 1-D label tensors.</summary>
    public static double Precision(Tensor yTrue, Tensor yPred, Average average, double zeroDivision = 0) =>
        Precision(TrueLabels(yTrue, nameof(Precision)), PredictedLabels(yPred, nameof(Precision)), average, null, zeroDivision);

    /// <summary>Binary recall of 1-D label tensors.</summary>
    public static double Recall(Tensor yTrue, Tensor yPred, int posLabel = 1, double zeroDivision = 0) =>
        Recall(TrueLabels(yTrue, nameof(Recall)), PredictedLabels(yPred, nameof(Recall)), posLabel, zeroDivision);

    /// <summary>Averaged recall of 1-D label tensors.</summary>
    public static double Recall(Tensor yTrue, Tensor yPred, Average average, double zeroDivision = 0) =>
        Recall(TrueLabels(yTrue, nameof(Recall)), PredictedLabels(yPred, nameof(Recall)), average, null, zeroDivision);

    /// <summary>Binary F1 of 1-D label tensors.</summary>
    public static double F1(Tensor yTrue, Tensor yPred, int posLabel = 1, double zeroDivision = 0) =>
        F1(TrueLabels(yTrue, nameof(F1)), PredictedLabels(yPred, nameof(F1)), posLabel, zeroDivision);

    /// <summary>Averaged F1 of 1-D label tensors.</summary>
    public static double F1(Tensor yTrue, Tensor yPred, Average average, double zeroDivision = 0) =>
        F1(TrueLabels(yTrue, nameof(F1)), PredictedLabels(yPred, nameof(F1)), average, null, zeroDivision);

    /// <summary>
    /// Precision, recall, F-beta and support of each class, as <c>precision_recall_fscore_support(average=None)</c>.
    /// </summary>
    /// <param name="yTrue">The true labels.</param>
    /// <param name="yPred">The predicted labels.</param>
    /// <param name="beta">The weight of recall in the F-score, β ≥ 0 (1 gives F1).</param>
    /// <param name="labels">The classes and their order; by default every label of either input, sorted. Listed labels absent from the data score <paramref name="zeroDivision"/>.</param>
    /// <param name="zeroDivision">The value of a precision or recall that divides by zero: 0 (scikit-learn's "warn", without the warning) or 1.</param>
    /// <exception cref="ArgumentException">The lengths differ, the inputs are empty, β is negative or NaN, a label repeats, or <paramref name="zeroDivision"/> is neither 0 nor 1.</exception>
    public static ClassScores<T> PrecisionRecallFScoreSupport<T>(IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred, double beta = 1, IReadOnlyList<T>? labels = null, double zeroDivision = 0) where T : notnull
    {
        var counts = Count(nameof(PrecisionRecallFScoreSupport), yTrue, yPred, beta, labels, zeroDivision);
        var (precision, recall, fScore) = Scores(counts.TruePositives, counts.Predicted, counts.Actual, beta, zeroDivision);
        return new ClassScores<T>(counts.Labels, precision, recall, fScore, counts.Actual.Select(c => (int)c).ToArray());
    }

    /// <summary>Per-class counts: true positives, predictions and true samples of each label.</summary>
    private sealed record LabelCounts<T>(T[] Labels, long[] TruePositives, long[] Predicted, long[] Actual);

    private static LabelCounts<T> Count<T>(string metric, IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred, double beta, IReadOnlyList<T>? labels, double zeroDivision) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        MetricInputs.CheckLengths(metric, yTrue.Count, yPred.Count);
        MetricInputs.CheckZeroDivision(zeroDivision);
        if (!(beta >= 0)) throw new ArgumentOutOfRangeException(nameof(beta), beta, $"{metric}: beta must be at least 0, got {beta}.");
        var classes = labels?.ToArray() ?? MetricInputs.Present(yTrue, yPred);
        var index = LabelOrder.IndexOf(classes, metric);
        var tp = new long[classes.Length];
        var predicted = new long[classes.Length];
        var actual = new long[classes.Length];
        var equal = EqualityComparer<T>.Default;
        for (int s = 0; s < yTrue.Count; s++)
        {
            bool knownTrue = index.TryGetValue(yTrue[s], out int t);
            if (knownTrue) actual[t]++;
            if (index.TryGetValue(yPred[s], out int p))
            {
                predicted[p]++;
                if (knownTrue && t == p) tp[t]++;
            }
        }
        return new LabelCounts<T>(classes, tp, predicted, actual);
    }

    /// <summary>Precision, recall and F-beta from counts, with scikit-learn's zero-division rule (the F-score is 0 when P + R is 0).</summary>
    private static (double[] Precision, double[] Recall, double[] FScore) Scores(long[] tp, long[] predicted, long[] actual, double beta, double zeroDivision)
    {
        int n = tp.Length;
        var precision = new double[n];
        var recall = new double[n];
        var fScore = new double[n];
        double beta2 = beta * beta;
        for (int i = 0; i < n; i++)
        {
            precision[i] = predicted[i] == 0 ? zeroDivision : (double)tp[i] / predicted[i];
            recall[i] = actual[i] == 0 ? zeroDivision : (double)tp[i] / actual[i];
            if (double.IsPositiveInfinity(beta)) { fScore[i] = recall[i]; continue; }
            double denominator = beta2 * precision[i] + recall[i];
            fScore[i] = (1 + beta2) * precision[i] * recall[i] / (denominator == 0 ? 1 : denominator);
        }
        return (precision, recall, fScore);
    }

    /// <summary>The scores of <paramref name="posLabel"/> alone, after scikit-learn's checks for average='binary'.</summary>
    private static (double[] Precision, double[] Recall, double[] FScore) Binary<T>(string metric, IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred, T posLabel, double beta, double zeroDivision) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        ArgumentNullException.ThrowIfNull(posLabel);
        MetricInputs.CheckLengths(metric, yTrue.Count, yPred.Count);
        var present = MetricInputs.Present(yTrue, yPred);
        if (present.Length > 2)
            throw new ArgumentException($"{metric}: the labels are multi-class ({LabelOrder.DescribeAll(present)}) but a posLabel asks for a binary score; pass an Average (Micro, Macro, Weighted) or use {metric}PerClass.");
        if (present.Length == 2 && Array.IndexOf(present, posLabel) < 0)
            throw new ArgumentException($"{metric}: posLabel {LabelOrder.Describe(posLabel)} is not a valid label; it should be one of {LabelOrder.DescribeAll(present)}.", nameof(posLabel));
        var counts = Count(metric, yTrue, yPred, beta, [posLabel], zeroDivision);
        return Scores(counts.TruePositives, counts.Predicted, counts.Actual, beta, zeroDivision);
    }

    /// <summary>The averaged scores, as <c>precision_recall_fscore_support(average=...)</c>.</summary>
    private static (double Precision, double Recall, double FScore) Averaged<T>(string metric, IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred, Average average, double beta, IReadOnlyList<T>? labels, double zeroDivision) where T : notnull
    {
        var counts = Count(metric, yTrue, yPred, beta, labels, zeroDivision);
        var (tp, predicted, actual) = (counts.TruePositives, counts.Predicted, counts.Actual);
        if (average == Average.Micro)
            (tp, predicted, actual) = ([tp.Sum()], [predicted.Sum()], [actual.Sum()]);
        var (precision, recall, fScore) = Scores(tp, predicted, actual, beta, zeroDivision);
        switch (average)
        {
            case Average.Micro:
            case Average.Macro:
                return (precision.Average(), recall.Average(), fScore.Average());
            case Average.Weighted:
                long support = actual.Sum();
                if (support == 0)
                {
                    // No true sample of any scored class: scikit-learn returns zeroDivision for what divides by zero.
                    return predicted.Sum() == 0 ? (zeroDivision, zeroDivision, zeroDivision) : (0, zeroDivision, 0);
                }
                return (WeightedMean(precision, actual, support), WeightedMean(recall, actual, support), WeightedMean(fScore, actual, support));
            default:
                throw new ArgumentOutOfRangeException(nameof(average), average, $"{metric}: unknown average {average}.");
        }
    }

    private static double WeightedMean(double[] values, long[] weights, long total)
    {
        double sum = 0;
        for (int i = 0; i < values.Length; i++) sum += values[i] * weights[i];
        return sum / total;
    }

    private static int[] TrueLabels(Tensor yTrue, string metric) => MetricInputs.Labels(yTrue, metric, nameof(yTrue));

    private static int[] PredictedLabels(Tensor yPred, string metric) => MetricInputs.Labels(yPred, metric, nameof(yPred));
}
