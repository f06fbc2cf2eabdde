using Nabla.Data;

namespace Nabla.Metrics;

/// <summary>
/// Scores of predicted class labels against true ones, with scikit-learn's names, semantics and
/// defaults (<c>sklearn.metrics</c>, version 1.2). Labels are any comparable type (<c>int</c>,
/// <c>string</c>, …); classes are ordered as scikit-learn orders them (numbers by value, strings
/// by code point). Where scikit-learn warns and returns 0 for a zero division, these methods
/// return <c>zeroDivision</c> (0 by default, or 1) without a warning.
/// </summary>
/// <example>
/// <code>
/// int[] yTrue = [0, 1, 2, 2], yPred = [0, 2, 2, 1];
/// double acc = ClassificationMetrics.Accuracy(yTrue, yPred);                 // 0.5
/// double f1 = ClassificationMetrics.F1(yTrue, yPred, Average.Macro);         // 0.5
/// int[,] cm = ClassificationMetrics.ConfusionMatrix(yTrue, yPred);
/// </code>
/// </example>
public static partial class ClassificationMetrics
{
    /// <summary>The fraction of samples whose predicted label equals the true one (or their number, with <paramref name="normalize"/> false), as <c>accuracy_score</c>.</summary>
    /// <exception cref="ArgumentException">The lengths differ or the inputs are empty.</exception>
    public static double Accuracy<T>(IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred, bool normalize = true) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        MetricInputs.CheckLengths(nameof(Accuracy), yTrue.Count, yPred.Count);
        var equal = EqualityComparer<T>.Default;
        int correct = 0;
        for (int i = 0; i < yTrue.Count; i++)
            if (equal.Equals(yTrue[i], yPred[i])) correct++;
        return normalize ? (double)correct / yTrue.Count : correct;
    }

    /// <summary>Accuracy of 1-D label tensors (Int32, or floating point holding whole numbers).</summary>
    public static double Accuracy(Tensor yTrue, Tensor yPred, bool normalize = true) =>
        Accuracy(MetricInputs.Labels(yTrue, nameof(Accuracy), nameof(yTrue)), MetricInputs.Labels(yPred, nameof(Accuracy), nameof(yPred)), normalize);

    /// <summary>
    /// The confusion matrix C, as <c>confusion_matrix</c>: C[i, j] counts samples of true class
    /// <c>labels[i]</c> predicted as <c>labels[j]</c>.
    /// </summary>
    /// <param name="yTrue">The true labels.</param>
    /// <param name="yPred">The predicted labels.</param>
    /// <param name="labels">The classes and their order; by default every label of either input, sorted. Samples whose true or predicted label is not listed are left out.</param>
    /// <exception cref="ArgumentException">The lengths differ, the inputs are empty, <paramref name="labels"/> is empty, repeats a label, or holds no label of <paramref name="yTrue"/>.</exception>
    public static int[,] ConfusionMatrix<T>(IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred, IReadOnlyList<T>? labels = null) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        MetricInputs.CheckLengths(nameof(ConfusionMatrix), yTrue.Count, yPred.Count);
        if (labels is not null)
        {
            if (labels.Count == 0) throw new ArgumentException("ConfusionMatrix: labels is empty; give at least one label.", nameof(labels));
            var given = labels.ToHashSet();
            if (!yTrue.Any(given.Contains))
                throw new ArgumentException($"ConfusionMatrix: none of the labels {LabelOrder.DescribeAll(labels)} is in yTrue; at least one must be.", nameof(labels));
        }
        var classes = labels ?? MetricInputs.Present(yTrue, yPred);
        var index = LabelOrder.IndexOf(classes, nameof(ConfusionMatrix));
        var matrix = new int[classes.Count, classes.Count];
        for (int s = 0; s < yTrue.Count; s++)
            if (index.TryGetValue(yTrue[s], out int i) && index.TryGetValue(yPred[s], out int j)) matrix[i, j]++;
        return matrix;
    }

    /// <summary>
    /// The confusion matrix divided by its row totals, column totals or grand total, as
    /// <c>confusion_matrix(normalize=...)</c>; a row or column with no samples holds zeros.
    /// </summary>
    /// <inheritdoc cref="ConfusionMatrix{T}(IReadOnlyList{T}, IReadOnlyList{T}, IReadOnlyList{T})"/>
    /// <param name="yTrue">The true labels.</param>
    /// <param name="yPred">The predicted labels.</param>
    /// <param name="normalize">What each count is divided by.</param>
    /// <param name="labels">The classes and their order; by default every label of either input, sorted.</param>
    public static double[,] ConfusionMatrix<T>(IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred, ConfusionNormalization normalize, IReadOnlyList<T>? labels = null) where T : notnull
    {
        var counts = ConfusionMatrix(yTrue, yPred, labels);
        int n = counts.GetLength(0);
        var rowTotals = new double[n];
        var columnTotals = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                rowTotals[i] += counts[i, j];
                columnTotals[j] += counts[i, j];
                total += counts[i, j];
            }
        var result = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double divisor = normalize switch
                {
                    ConfusionNormalization.True => rowTotals[i],
                    ConfusionNormalization.Pred => columnTotals[j],
                    ConfusionNormalization.All => total,
                    _ => throw new ArgumentOutOfRangeException(nameof(normalize), normalize, "Unknown normalization."),
                };
                // scikit-learn divides 0 by 0 and then turns the NaN into 0.
                result[i, j] = divisor == 0 ? 0 : counts[i, j] / divisor;
            }
        return result;
    }

    /// <summary>The confusion matrix of 1-D label tensors, ordered by sorted label.</summary>
    public static int[,] ConfusionMatrix(Tensor yTrue, Tensor yPred) =>
        ConfusionMatrix(MetricInputs.Labels(yTrue, nameof(ConfusionMatrix), nameof(yTrue)), MetricInputs.Labels(yPred, nameof(ConfusionMatrix), nameof(yPred)));

    /// <summary>The normalized confusion matrix of 1-D label tensors, ordered by sorted label.</summary>
    public static double[,] ConfusionMatrix(Tensor yTrue, Tensor yPred, ConfusionNormalization normalize) =>
        ConfusionMatrix(MetricInputs.Labels(yTrue, nameof(ConfusionMatrix), nameof(yTrue)), MetricInputs.Labels(yPred, nameof(ConfusionMatrix), nameof(yPred)), normalize);
}
