namespace Nabla.Estimators;

/// <summary>The loss <see cref="SgdRegressor"/> minimises, of the residual r = ŷ − y (scikit-learn's <c>loss</c>).</summary>
public enum SgdRegressorLoss
{
    /// <summary>½ r², ordinary least squares.</summary>
    SquaredError,

    /// <summary>½ r² for |r| ≤ ε, ε|r| − ½ε² beyond: least squares that is robust to outliers.</summary>
    Huber,

    /// <summary>max(0, |r| − ε), the loss of support vector regression.</summary>
    EpsilonInsensitive,

    /// <summary>max(0, |r| − ε)².</summary>
    SquaredEpsilonInsensitive,
}
