namespace Nabla.Selection;

/// <summary>Whether a search looks for the largest score (accuracy, R²) or the smallest (a loss, RMSE).</summary>
public enum SearchDirection
{
    /// <summary>Greater scores are better.</summary>
    Maximize,

    /// <summary>Smaller scores are better.</summary>
    Minimize,
}
