namespace Nabla.Estimators;

/// <summary>The penalty on the weights of a linear model (scikit-learn's <c>penalty</c>).</summary>
public enum Penalty
{
    /// <summary>No penalty.</summary>
    None,

    /// <summary>½‖w‖², scaled by the estimator's strength (1/C for <see cref="LogisticRegression"/>).</summary>
    L2,

    /// <summary>‖w‖₁, which drives weights to exactly zero (<see cref="SgdRegressor"/> and <see cref="SgdClassifier"/> only).</summary>
    L1,

    /// <summary>l1Ratio·‖w‖₁ + (1 − l1Ratio)·½‖w‖² (<see cref="SgdRegressor"/> and <see cref="SgdClassifier"/> only).</summary>
    ElasticNet,
}
