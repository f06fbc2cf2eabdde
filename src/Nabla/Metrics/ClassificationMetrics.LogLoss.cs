using Nabla.Data;

namespace Nabla.Metrics;

public static partial class ClassificationMetrics
{
    /// <summary>NumPy's <c>finfo(float64).eps</c>, 2⁻⁵²: the gap between 1 and the next double (not <see cref="double.Epsilon"/>, the smallest subnormal).</summary>
    private static readonly double DoubleEpsilon = Math.ScaleB(1, -52);

    /// <summary>NumPy's <c>finfo(float32).eps</c>, 2⁻²³.</summary>
    private static readonly double SingleEpsilon = Math.ScaleB(1, -23);

    /// <summary>
    /// The cross-entropy of predicted probabilities, −mean(log p(true class)), as <c>log_loss</c>
    /// of scikit-learn 1.2: probabilities are clipped to [ε, 1 − ε] and each row is then rescaled to sum to 1.
    /// </summary>
    /// <param name="yTrue">The true labels.</param>
    /// <param name="yProba">(samples, classes): the probability of each class, columns in the order of <paramref name="labels"/> (sorted classes by default).</param>
    /// <param name="labels">The classes of the columns; by default the sorted classes of <paramref name="yTrue"/>.</param>
    /// <param name="eps">The clipping bound; by default the machine epsilon of double, 2⁻⁵² (scikit-learn's "auto" for float64).</param>
    /// <param name="normalize">The mean loss per sample when true; the sum when false.</param>
    /// <exception cref="ArgumentException">The lengths differ, the inputs are empty, there are fewer than two classes, their number differs from the columns, or a true label is not in <paramref name="labels"/>.</exception>
    public static double LogLoss<T>(IReadOnlyList<T> yTrue, double[,] yProba, IReadOnlyList<T>? labels = null, double? eps = null, bool normalize = true) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yProba);
        MetricInputs.CheckLengths(nameof(LogLoss), yTrue.Count, yProba.GetLength(0), nameof(yProba));
        double clip = eps ?? DoubleEpsilon;
        if (!(clip > 0 && clip < 0.5)) throw new ArgumentOutOfRangeException(nameof(eps), eps, $"LogLoss: eps must be in (0, 0.5), got {eps}.");
        var classes = labels is null ? LabelOrder.Unique(yTrue) : LabelOrder.Unique(labels);
        if (classes.Length < 2)
            throw new ArgumentException(labels is null
                ? $"LogLoss: yTrue holds only one label ({LabelOrder.Describe(classes[0])}); give the classes explicitly through labels."
                : $"LogLoss: labels must hold at least two classes, got {LabelOrder.DescribeAll(classes)}.", nameof(labels));
        int columns = yProba.GetLength(1);
        bool positiveOnly = columns == 1;
        if ((positiveOnly ? 2 : columns) != classes.Length)
            throw new ArgumentException(labels is null
                ? $"LogLoss: yTrue holds {classes.Length} classes {LabelOrder.DescribeAll(classes)} but yProba has {columns} columns; give the classes explicitly through labels."
                : $"LogLoss: labels hold {classes.Length} classes {LabelOrder.DescribeAll(classes)} but yProba has {columns} columns.", nameof(yProba));
        var index = LabelOrder.IndexOf(classes, nameof(LogLoss));
        double total = 0;
        var row = new double[classes.Length];
        for (int i = 0; i < yTrue.Count; i++)
        {
            if (!index.TryGetValue(yTrue[i], out int c))
                throw new ArgumentException($"LogLoss: yTrue[{i}] is {LabelOrder.Describe(yTrue[i])}, which is not in labels {LabelOrder.DescribeAll(classes)}.", nameof(yTrue));
            if (positiveOnly)
            {
                double p = Math.Clamp(yProba[i, 0], clip, 1 - clip);
                (row[0], row[1]) = (1 - p, p);
            }
            else
            {
                for (int j = 0; j < columns; j++) row[j] = Math.Clamp(yProba[i, j], clip, 1 - clip);
            }
            double rowSum = 0;
            foreach (double p in row) rowSum += p;
            total -= Math.Log(row[c] / rowSum);
        }
        return normalize ? total / yTrue.Count : total;
    }

    /// <summary>
    /// The log loss of a binary problem from the probability of the positive class (the greater of
    /// the two classes), as <c>log_loss</c> with a 1-D <c>y_pred</c>.
    /// </summary>
    /// <param name="yTrue">The true labels.</param>
    /// <param name="yProba">The probability of the positive class for each sample.</param>
    /// <param name="labels">The two classes; by default those of <paramref name="yTrue"/>.</param>
    /// <param name="eps">The clipping bound; by default 2⁻⁵².</param>
    /// <param name="normalize">The mean loss per sample when true; the sum when false.</param>
    public static double LogLoss<T>(IReadOnlyList<T> yTrue, IReadOnlyList<double> yProba, IReadOnlyList<T>? labels = null, double? eps = null, bool normalize = true) where T : notnull =>
        LogLoss(yTrue, MetricInputs.Column(yProba, nameof(yProba)), labels, eps, normalize);

    /// <summary>
    /// The log loss of tensors: a 1-D <paramref name="yProba"/> is the probability of the positive
    /// class, a 2-D one a probability per class. The default clipping bound is the machine epsilon
    /// of the tensor's type (2⁻²³ for Float32), as scikit-learn's "auto".
    /// </summary>
    public static double LogLoss(Tensor yTrue, Tensor yProba, bool normalize = true)
    {
        var labels = TrueLabels(yTrue, nameof(LogLoss));
        var proba = MetricInputs.Matrix(yProba, nameof(LogLoss), nameof(yProba));
        double eps = yProba.DType == DType.Float32 ? SingleEpsilon : DoubleEpsilon;
        return LogLoss(labels, proba, null, eps, normalize);
    }
}
