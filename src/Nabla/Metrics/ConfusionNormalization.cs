namespace Nabla.Metrics;

/// <summary>What a normalized confusion matrix is divided by, as scikit-learn's <c>normalize</c>.</summary>
public enum ConfusionNormalization
{
    /// <summary>Each row by its total: row i holds the fractions of true class i predicted as each class (recall on the diagonal).</summary>
    True,

    /// <summary>Each column by its total: column j holds the fractions of predictions j that were each true class (precision on the diagonal).</summary>
    Pred,

    /// <summary>Every cell by the number of samples.</summary>
    All,
}
