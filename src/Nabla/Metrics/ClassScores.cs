using System.Globalization;

namespace Nabla.Metrics;

/// <summary>
/// Precision, recall, F-score and support of each class, as scikit-learn's
/// <c>precision_recall_fscore_support(average=None)</c>; entry i of every list belongs to <see cref="Labels"/>[i].
/// </summary>
/// <typeparam name="T">The label type.</typeparam>
/// <param name="Labels">The classes, in the order of the scores.</param>
/// <param name="Precision">Of the samples predicted as the class, the fraction that truly are.</param>
/// <param name="Recall">Of the samples of the class, the fraction predicted as it.</param>
/// <param name="FScore">The weighted harmonic mean of precision and recall (F1 for β = 1).</param>
/// <param name="Support">The number of true samples of the class.</param>
public sealed record ClassScores<T>(
    IReadOnlyList<T> Labels,
    IReadOnlyList<double> Precision,
    IReadOnlyList<double> Recall,
    IReadOnlyList<double> FScore,
    IReadOnlyList<int> Support) where T : notnull
{
    /// <summary>Each list by class, long ones shortened to their ends and length, e.g. "ClassScores { Labels = [a, b], Precision = [1, 0.5], … }".</summary>
    public override string ToString() => new ResultText("ClassScores").Add(nameof(Labels), ResultText.List(Labels, label => Convert.ToString(label, CultureInfo.InvariantCulture) ?? ""))
        .Add(nameof(Precision), Precision).Add(nameof(Recall), Recall).Add(nameof(FScore), FScore)
        .Add(nameof(Support), ResultText.List(Support, count => count.ToString(CultureInfo.InvariantCulture))).ToString();
}
