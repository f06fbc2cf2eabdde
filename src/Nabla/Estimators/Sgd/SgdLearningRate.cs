namespace Nabla.Estimators;

/// <summary>How <see cref="SgdRegressor"/> and <see cref="SgdClassifier"/> choose the step size η of update t (scikit-learn's <c>learning_rate</c>).</summary>
public enum SgdLearningRate
{
    /// <summary>η = eta0 throughout.</summary>
    Constant,

    /// <summary>η = 1 / (α (t + t₀)), Bottou's schedule, with t₀ chosen so that the first step has the size of a typical weight (scikit-learn's heuristic).</summary>
    Optimal,

    /// <summary>η = eta0 / t^powerT.</summary>
    InvScaling,

    /// <summary>η = eta0 while the loss improves; divided by 5 each time it fails to improve by tol for nIterNoChange epochs in a row, until η ≤ 1e-6.</summary>
    Adaptive,
}
