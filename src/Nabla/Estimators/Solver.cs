namespace Nabla.Estimators;

/// <summary>How <see cref="MlpRegressor"/> and <see cref="MlpClassifier"/> optimise their weights (scikit-learn's <c>solver</c>).</summary>
public enum Solver
{
    /// <summary>Mini-batch stochastic gradient descent with momentum, scikit-learn's <c>"sgd"</c>.</summary>
    Sgd,

    /// <summary>Adam on mini-batches (the default), scikit-learn's <c>"adam"</c>.</summary>
    Adam,

    /// <summary>L-BFGS on the whole training set, scikit-learn's <c>"lbfgs"</c>; good for small data sets.</summary>
    Lbfgs,
}
