using System.Globalization;
using System.Numerics;
using System.Text;

namespace Nabla.Metrics;

/// <summary>One line of a <see cref="ClassificationReport"/>: a class, or an average over classes.</summary>
/// <param name="Name">The class name (or "macro avg", "weighted avg", "micro avg").</param>
/// <param name="Precision">The precision of the class, or its average.</param>
/// <param name="Recall">The recall of the class, or its average.</param>
/// <param name="F1">The F1 score of the class, or its average.</param>
/// <param name="Support">The number of true samples of the class, or of all the scored classes.</param>
public sealed record ClassificationReportRow(string Name, double Precision, double Recall, double F1, int Support)
{
    /// <summary>The row's scores, e.g. "ClassificationReportRow { Name = cat, Precision = 0.9, Recall = 0.818182, F1 = 0.857143, Support = 11 }".</summary>
    public override string ToString() => new ResultText(nameof(ClassificationReportRow)).Add(nameof(Name), Name).Add(nameof(Precision), Precision)
        .Add(nameof(Recall), Recall).Add(nameof(F1), F1).Add(nameof(Support), Support).ToString();
}

/// <summary>
/// Precision, recall, F1 and support per class with their averages, as scikit-learn's
/// <c>classification_report</c>: read the numbers from the properties, or print <see cref="ToString()"/>
/// for the same text as scikit-learn (<see cref="Format"/> chooses the digits).
/// </summary>
/// <example>
/// <code>
/// var report = ClassificationReport.Create(yTrue, yPred);
/// Console.WriteLine(report);          // the table scikit-learn prints
/// double macroF1 = report.MacroAverage.F1;
/// </code>
/// </example>
public sealed class ClassificationReport
{
    private ClassificationReport(IReadOnlyList<ClassificationReportRow> classes, double? accuracy, ClassificationReportRow? microAverage,
        ClassificationReportRow macroAverage, ClassificationReportRow weightedAverage)
    {
        Classes = classes;
        Accuracy = accuracy;
        MicroAverage = microAverage;
        MacroAverage = macroAverage;
        WeightedAverage = weightedAverage;
    }

    /// <summary>One row per class, in label order.</summary>
    public IReadOnlyList<ClassificationReportRow> Classes { get; }

    /// <summary>The accuracy, when the report covers every label present (then the micro average equals it and is shown as "accuracy"); otherwise null.</summary>
    public double? Accuracy { get; }

    /// <summary>The micro average, when only some of the present labels are reported; otherwise null (see <see cref="Accuracy"/>).</summary>
    public ClassificationReportRow? MicroAverage { get; }

    /// <summary>The unweighted mean over the reported classes ("macro avg").</summary>
    public ClassificationReportRow MacroAverage { get; }

    /// <summary>The support-weighted mean over the reported classes ("weighted avg").</summary>
    public ClassificationReportRow WeightedAverage { get; }

    /// <summary>Builds the report, as <c>classification_report(y_true, y_pred, labels, target_names, zero_division)</c>.</summary>
    /// <param name="yTrue">The true labels.</param>
    /// <param name="yPred">The predicted labels.</param>
    /// <param name="labels">The classes to report and their order; by default every label of either input, sorted.</param>
    /// <param name="targetNames">A display name per reported class; by default the labels as text.</param>
    /// <param name="zeroDivision">The value of a precision or recall that divides by zero: 0 (scikit-learn's "warn", without the warning) or 1.</param>
    /// <exception cref="ArgumentException">The lengths differ, the inputs are empty, or the number of target names differs from the number of classes.</exception>
    public static ClassificationReport Create<T>(IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred, IReadOnlyList<T>? labels = null,
        IReadOnlyList<string>? targetNames = null, double zeroDivision = 0) where T : notnull
    {
        var scores = ClassificationMetrics.PrecisionRecallFScoreSupport(yTrue, yPred, 1, labels, zeroDivision);
        if (targetNames is not null && targetNames.Count != scores.Labels.Count)
            throw new ArgumentException($"ClassificationReport: {targetNames.Count} target names for {scores.Labels.Count} classes; give one name per class.", nameof(targetNames));
        var names = targetNames ?? scores.Labels.Select(label => Convert.ToString(label, CultureInfo.InvariantCulture) ?? "").ToArray();
        var rows = new ClassificationReportRow[names.Count];
        for (int i = 0; i < rows.Length; i++)
            rows[i] = new ClassificationReportRow(names[i], scores.Precision[i], scores.Recall[i], scores.FScore[i], scores.Support[i]);

        int support = scores.Support.Sum();
        ClassificationReportRow Averaged(Average average, string name) => new(name,
            ClassificationMetrics.Precision(yTrue, yPred, average, scores.Labels, zeroDivision),
            ClassificationMetrics.Recall(yTrue, yPred, average, scores.Labels, zeroDivision),
            ClassificationMetrics.F1(yTrue, yPred, average, scores.Labels, zeroDivision), support);

        // scikit-learn shows the micro average as "accuracy" when every present label is reported.
        bool microIsAccuracy = labels is null || MetricInputs.Present(yTrue, yPred).ToHashSet().SetEquals(labels);
        var micro = Averaged(Average.Micro, "micro avg");
        return new ClassificationReport(rows, microIsAccuracy ? micro.F1 : null, microIsAccuracy ? null : micro,
            Averaged(Average.Macro, "macro avg"), Averaged(Average.Weighted, "weighted avg"));
    }

    /// <summary>The report as scikit-learn prints it, with two decimals.</summary>
    public override string ToString() => Format();

    /// <summary>The report as scikit-learn's text, with <paramref name="digits"/> decimals (rounded half to even, as Python).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="digits"/> is negative or above 15.</exception>
    public string Format(int digits = 2)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(digits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digits, 15);
        int width = Math.Max(Math.Max(Classes.Count == 0 ? 0 : Classes.Max(r => r.Name.Length), "weighted avg".Length), digits);
        var text = new StringBuilder();
        text.Append(' ', width).Append(' ');
        foreach (var header in new[] { "precision", "recall", "f1-score", "support" }) text.Append(' ').Append(header.PadLeft(9));
        text.Append("\n\n");
        foreach (var row in Classes) AppendRow(text, row, width, digits);
        text.Append('\n');
        if (Accuracy is double accuracy)
        {
            text.Append("accuracy".PadLeft(width)).Append(' ');
            text.Append(' ', 20).Append(' ').Append(Fixed(accuracy, digits).PadLeft(9));
            text.Append(' ').Append(MacroAverage.Support.ToString(CultureInfo.InvariantCulture).PadLeft(9)).Append('\n');
        }
        else
        {
            AppendRow(text, MicroAverage!, width, digits);
        }
        AppendRow(text, MacroAverage, width, digits);
        AppendRow(text, WeightedAverage, width, digits);
        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, ClassificationReportRow row, int width, int digits)
    {
        text.Append(row.Name.PadLeft(width)).Append(' ');
        foreach (double value in new[] { row.Precision, row.Recall, row.F1 }) text.Append(' ').Append(Fixed(value, digits).PadLeft(9));
        text.Append(' ').Append(row.Support.ToString(CultureInfo.InvariantCulture).PadLeft(9)).Append('\n');
    }

    /// <summary>
    /// <paramref name="value"/> with <paramref name="digits"/> decimals as Python's <c>format(value, '.Nf')</c>:
    /// correctly rounded from the exact binary value, exact ties to even. .NET's "F" format rounds
    /// exact ties away from zero (0.125 → "0.13", Python "0.12"), and ties are common here (1/8, 3/8).
    /// </summary>
    internal static string Fixed(double value, int digits)
    {
        if (!double.IsFinite(value)) return value.ToString(CultureInfo.InvariantCulture);
        // value = m · 2^e with m odd; value · 10^d lies exactly halfway between integers iff e = −(d + 1).
        long bits = BitConverter.DoubleToInt64Bits(Math.Abs(value));
        int exponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0) exponent++; else mantissa |= 1L << 52;
        exponent -= 1075;
        if (mantissa != 0)
        {
            int trailing = BitOperations.TrailingZeroCount(mantissa);
            mantissa >>= trailing;
            exponent += trailing;
        }
        if (mantissa == 0 || exponent != -(digits + 1)) return value.ToString("F" + digits, CultureInfo.InvariantCulture);
        // Exactly halfway: value · 10^d = (m · 5^d) / 2 = k + 1/2; round k to even.
        var k = (BigInteger.Pow(5, digits) * mantissa - 1) / 2;
        if (!k.IsEven) k += 1;
        string units = k.ToString(CultureInfo.InvariantCulture).PadLeft(digits + 1, '0');
        string result = digits == 0 ? units : units[..^digits] + "." + units[^digits..];
        return value < 0 ? "-" + result : result;
    }
}
