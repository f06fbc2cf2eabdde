namespace Nabla.Estimators;

/// <summary>The loss <see cref="SgdClassifier"/> minimises, of the margin z = y·score with y = ±1 (scikit-learn's <c>loss</c>).</summary>
public enum SgdClassifierLoss
{
    /// <summary>max(0, 1 − z): a linear support vector machine.</summary>
    Hinge,

    /// <summary>ln(1 + e^(−z)): logistic regression, with probabilities.</summary>
    LogLoss,

    /// <summary>(max(0, 1 − z))² for z ≥ −1, −4z below: a smoothed hinge that tolerates outliers, with probabilities.</summary>
    ModifiedHuber,

    /// <summary>(max(0, 1 − z))²: the quadratically penalised hinge.</summary>
    SquaredHinge,

    /// <summary>max(0, −z): the perceptron's loss.</summary>
    Perceptron,
}
