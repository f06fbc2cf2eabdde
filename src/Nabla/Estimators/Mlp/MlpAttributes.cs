namespace Nabla.Estimators;

/// <summary>The fitted weights of an MLP in scikit-learn's layout, for the estimators' <c>Coefs</c> and <c>Intercepts</c>.</summary>
internal static class MlpAttributes
{
    /// <summary>Each layer's weights, (inputs, outputs), Float64 copies.</summary>
    public static Tensor[] Coefs(MlpTraining training) => [.. Enumerable.Range(0, training.Network!.LayerCount).Select(training.Network.Coef)];

    /// <summary>Each layer's bias, (outputs), Float64 copies.</summary>
    public static Tensor[] Intercepts(MlpTraining training) => [.. Enumerable.Range(0, training.Network!.LayerCount).Select(training.Network.Intercept)];
}
