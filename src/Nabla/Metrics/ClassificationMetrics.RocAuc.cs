using Nabla.Data;

namespace Nabla.Metrics;

public static partial class ClassificationMetrics
{
    /// <summary>
    /// The area under the ROC curve of a binary problem, as <c>roc_auc_score(y_true, y_score)</c>:
    /// the probability that a random positive sample scores above a random negative one (ties count half).
    /// </summary>
    /// <param name="yTrue">The true labels: exactly two classes; the greater one (in scikit-learn's order) is positive.</param>
    /// <param name="yScore">A score per sample that grows with the belief in the positive class (a probability, a decision value, …).</param>
    /// <exception cref="ArgumentException">The lengths differ, the inputs are empty, or <paramref name="yTrue"/> holds one class or more than two.</exception>
    public static double RocAuc<T>(IReadOnlyList<T> yTrue, IReadOnlyList<double> yScore) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yScore);
        MetricInputs.CheckLengths(nameof(RocAuc), yTrue.Count, yScore.Count, nameof(yScore));
        var classes = LabelOrder.Unique(yTrue);
        if (classes.Length > 2)
            throw new ArgumentException($"RocAuc: yTrue holds {classes.Length} classes {LabelOrder.DescribeAll(classes)}; give a score column per class (a matrix) and a MultiClass strategy.", nameof(yTrue));
        var equal = EqualityComparer<T>.Default;
        var positive = new bool[yTrue.Count];
        for (int i = 0; i < positive.Length; i++) positive[i] = equal.Equals(yTrue[i], classes[^1]);
        return BinaryAuc(positive, [.. yScore]);
    }

    /// <summary>
    /// The ROC AUC of a multi-class problem from a probability per class, as
    /// <c>roc_auc_score(y_true, y_score, multi_class=..., average=..., labels=...)</c>. With two
    /// columns and two classes it is the binary AUC of the second column.
    /// </summary>
    /// <param name="yTrue">The true labels.</param>
    /// <param name="yScore">(samples, classes): the probability of each class; every row must sum to 1.</param>
    /// <param name="multiClass">One-vs-rest or one-vs-one.</param>
    /// <param name="average">Macro or Weighted (by class support for one-vs-rest, by pair prevalence for one-vs-one); Micro for one-vs-rest only.</param>
    /// <param name="labels">The class of each column, sorted; by default the sorted classes of <paramref name="yTrue"/>.</param>
    /// <exception cref="ArgumentException">The lengths differ, the inputs are empty, the rows do not sum to 1, the number of classes differs from the number of columns, <paramref name="labels"/> is unsorted, repeats or misses a class of <paramref name="yTrue"/>, or a one-vs-rest class has no sample.</exception>
    public static double RocAuc<T>(IReadOnlyList<T> yTrue, double[,] yScore, MultiClass multiClass, Average average = Average.Macro, IReadOnlyList<T>? labels = null) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yScore);
        MetricInputs.CheckLengths(nameof(RocAuc), yTrue.Count, yScore.GetLength(0), nameof(yScore));
        int n = yTrue.Count, columns = yScore.GetLength(1);
        var classes = RocClasses(yTrue, columns, labels);
        if (columns == 2 && classes.Length == 2)
            return RocAuc(yTrue, Column(yScore, 1));
        for (int i = 0; i < n; i++)
        {
            double rowSum = 0;
            for (int c = 0; c < columns; c++) rowSum += yScore[i, c];
            // NumPy's allclose(1, sum): |sum − 1| ≤ 1e-8 + 1e-5·|sum|.
            if (!(Math.Abs(rowSum - 1) <= 1e-8 + 1e-5 * Math.Abs(rowSum)))
                throw new ArgumentException($"RocAuc: multi-class scores must be probabilities that sum to 1 over the classes; row {i} sums to {rowSum}.", nameof(yScore));
        }
        var index = LabelOrder.IndexOf(classes, nameof(RocAuc));
        var encoded = yTrue.Select(label => index[label]).ToArray();
        return multiClass switch
        {
            MultiClass.Ovr => OneVsRest(encoded, yScore, classes, average),
            MultiClass.Ovo => OneVsOne(encoded, yScore, classes.Length, average),
            _ => throw new ArgumentOutOfRangeException(nameof(multiClass), multiClass, "Unknown multi-class strategy."),
        };
    }

    /// <summary>
    /// ROC AUC of tensors: a 1-D <paramref name="yScore"/> is a binary score; a 2-D one holds a
    /// probability per class, combined by <paramref name="multiClass"/> and <paramref name="average"/>.
    /// </summary>
    public static double RocAuc(Tensor yTrue, Tensor yScore, MultiClass multiClass = MultiClass.Ovr, Average average = Average.Macro)
    {
        var labels = TrueLabels(yTrue, nameof(RocAuc));
        var scores = MetricInputs.Matrix(yScore, nameof(RocAuc), nameof(yScore));
        return yScore.Rank == 1 ? RocAuc(labels, Column(scores, 0)) : RocAuc(labels, scores, multiClass, average);
    }

    private static T[] RocClasses<T>(IReadOnlyList<T> yTrue, int columns, IReadOnlyList<T>? labels) where T : notnull
    {
        if (labels is null)
        {
            var present = LabelOrder.Unique(yTrue);
            if (present.Length != columns)
                throw new ArgumentException($"RocAuc: yTrue holds {present.Length} classes but yScore has {columns} columns; give labels to name the class of each column.", "yScore");
            return present;
        }
        var classes = labels.ToArray();
        var sorted = LabelOrder.Unique(labels);
        if (sorted.Length != classes.Length) throw new ArgumentException($"RocAuc: labels {LabelOrder.DescribeAll(classes)} repeat a label; each must be given once.", nameof(labels));
        if (!sorted.SequenceEqual(classes)) throw new ArgumentException($"RocAuc: labels {LabelOrder.DescribeAll(classes)} must be sorted, as {LabelOrder.DescribeAll(sorted)}.", nameof(labels));
        if (classes.Length != columns)
            throw new ArgumentException($"RocAuc: {classes.Length} labels given but yScore has {columns} columns; they must match.", nameof(labels));
        var known = classes.ToHashSet();
        var unknown = yTrue.Where(label => !known.Contains(label)).Distinct().ToArray();
        if (unknown.Length > 0)
            throw new ArgumentException($"RocAuc: yTrue holds labels {LabelOrder.DescribeAll(unknown)} that are not in labels.", nameof(labels));
        return classes;
    }

    private static double OneVsRest<T>(int[] encoded, double[,] yScore, T[] classes, Average average) where T : notnull
    {
        int n = encoded.Length, k = classes.Length;
        if (average == Average.Micro)
        {
            // Every (sample, class) cell is one binary decision: positive where the class is the true one.
            var positive = new bool[n * k];
            var scores = new double[n * k];
            for (int i = 0; i < n; i++)
                for (int c = 0; c < k; c++)
                {
                    positive[i * k + c] = encoded[i] == c;
                    scores[i * k + c] = yScore[i, c];
                }
            return BinaryAuc(positive, scores);
        }
        var aucs = new double[k];
        var support = new double[k];
        for (int c = 0; c < k; c++)
        {
            var positive = new bool[n];
            for (int i = 0; i < n; i++) positive[i] = encoded[i] == c;
            support[c] = positive.Count(p => p);
            if (support[c] == 0 || support[c] == n)
                throw new ArgumentException($"RocAuc: class {LabelOrder.Describe(classes[c])} {(support[c] == 0 ? "has no sample" : "holds every sample")} in yTrue, so its one-vs-rest ROC AUC is not defined.");
            aucs[c] = BinaryAuc(positive, Column(yScore, c));
        }
        return Combine(aucs, support, average, "one-vs-rest");
    }

    private static double OneVsOne(int[] encoded, double[,] yScore, int k, Average average)
    {
        // Hand and Till: each pair of classes present in yTrue, scored with a as positive (column a) and with b (column b).
        var present = encoded.Distinct().Order().ToArray();
        var scores = new List<double>();
        var prevalence = new List<double>();
        for (int x = 0; x < present.Length; x++)
            for (int y = x + 1; y < present.Length; y++)
            {
                int a = present[x], b = present[y];
                var rows = Enumerable.Range(0, encoded.Length).Where(i => encoded[i] == a || encoded[i] == b).ToArray();
                var isA = rows.Select(i => encoded[i] == a).ToArray();
                var isB = rows.Select(i => encoded[i] == b).ToArray();
                double aucA = BinaryAuc(isA, rows.Select(i => yScore[i, a]).ToArray());
                double aucB = BinaryAuc(isB, rows.Select(i => yScore[i, b]).ToArray());
                scores.Add((aucA + aucB) / 2);
                prevalence.Add((double)rows.Length / encoded.Length);
            }
        if (scores.Count == 0) throw new ArgumentException($"RocAuc: yTrue holds a single class of the {k}; ROC AUC needs two.");
        return Combine([.. scores], [.. prevalence], average, "one-vs-one");
    }

    private static double Combine(double[] scores, double[] weights, Average average, string strategy)
    {
        switch (average)
        {
            case Average.Macro: return scores.Average();
            case Average.Weighted:
                double sum = 0, total = 0;
                for (int i = 0; i < scores.Length; i++)
                {
                    sum += scores[i] * weights[i];
                    total += weights[i];
                }
                return sum / total;
            default:
                throw new ArgumentException($"RocAuc: average {average} is not defined for {strategy}; use Macro or Weighted{(strategy == "one-vs-rest" ? " or Micro" : "")}.", nameof(average));
        }
    }

    /// <summary>
    /// The trapezoidal area under the ROC curve, in counts: walking down the distinct scores, each
    /// step adds Δfp · (tp + tp_prev) / 2; dividing by positives × negatives gives the area.
    /// </summary>
    private static double BinaryAuc(bool[] positive, double[] score)
    {
        int positives = positive.Count(p => p), negatives = positive.Length - positives;
        if (positives == 0 || negatives == 0)
            throw new ArgumentException("RocAuc: only one class is present in yTrue; ROC AUC is not defined in that case.");
        var order = Enumerable.Range(0, score.Length).ToArray();
        Array.Sort(score.Select(s => -s).ToArray(), order);
        double area = 0;
        long tp = 0, fp = 0, tpBefore = 0, fpBefore = 0;
        for (int r = 0; r < order.Length; r++)
        {
            if (r > 0 && score[order[r]] != score[order[r - 1]])
            {
                area += (fp - fpBefore) * (double)(tp + tpBefore);
                (tpBefore, fpBefore) = (tp, fp);
            }
            if (positive[order[r]]) tp++; else fp++;
        }
        area += (fp - fpBefore) * (double)(tp + tpBefore);
        return area / (2.0 * positives * negatives);
    }

    private static double[] Column(double[,] matrix, int column)
    {
        var result = new double[matrix.GetLength(0)];
        for (int i = 0; i < result.Length; i++) result[i] = matrix[i, column];
        return result;
    }
}
