namespace Nabla.Metrics;

/// <summary>
/// How a per-class score (precision, recall, F-score, ROC AUC) is combined into one number, as
/// scikit-learn's <c>average</c> parameter. Binary scores of one positive class take a
/// <c>posLabel</c> instead, and per-class scores (<c>average=None</c>) have their own
/// <c>…PerClass</c> methods.
/// </summary>
public enum Average
{
    /// <summary>Counts true positives, false positives and false negatives over all classes, then scores once.</summary>
    Micro,

    /// <summary>The unweighted mean of the per-class scores: every class counts the same, however rare.</summary>
    Macro,

    /// <summary>The mean of the per-class scores weighted by each class's support (its number of true samples).</summary>
    Weighted,
}
