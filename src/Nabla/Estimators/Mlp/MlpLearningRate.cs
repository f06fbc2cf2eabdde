namespace Nabla.Estimators;

/// <summary>How the SGD solver's learning rate changes over training (scikit-learn's <c>learning_rate</c>); Adam and L-BFGS ignore it.</summary>
public enum MlpLearningRate
{
    /// <summary>Always the initial learning rate (the default).</summary>
    Constant,

    /// <summary>After each epoch, η = η₀ / (t + 1)^powerT, t the number of samples seen so far.</summary>
    InvScaling,

    /// <summary>
    /// η₀ while training improves; each time the improvement stalls for more than
    /// <c>nIterNoChange</c> epochs the rate is divided by 5, and training stops once it is at most 1e-6.
    /// </summary>
    Adaptive,
}
