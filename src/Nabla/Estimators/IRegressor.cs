using Nabla.Data;

namespace Nabla.Estimators;

/// <summary>
/// What every <see cref="Regressor{TSelf}"/> does, without its self type: how a
/// <see cref="Pipeline"/> drives whichever regressor ends it.
/// </summary>
internal interface IRegressor
{
    /// <summary>The number of targets fitted: the values predicted for each sample.</summary>
    int NTargets { get; }

    /// <summary>Fits on samples and targets (<see cref="Regressor{TSelf}.Fit"/>).</summary>
    void FitUntyped(FeatureMatrix x, RegressionTargets y);

    /// <summary>The predicted targets (<see cref="Regressor{TSelf}.Predict"/>).</summary>
    Tensor Predict(FeatureMatrix x);

    /// <summary>R² against the targets (<see cref="Regressor{TSelf}.Score"/>).</summary>
    double Score(FeatureMatrix x, RegressionTargets y);
}
