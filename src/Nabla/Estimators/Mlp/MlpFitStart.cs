namespace Nabla.Estimators;

/// <summary>A stochastic MLP fit about to begin, given to <see cref="IMlpCallback.OnFitBegin"/>.</summary>
/// <param name="Estimator">The estimator's type name: "MlpClassifier" or "MlpRegressor".</param>
/// <param name="IsClassifier">Whether the estimator classifies, so that its validation score is an accuracy (a regressor's is R²).</param>
/// <param name="Settings">
/// The settings that decide what the fit learns, by the name of their constructor argument (<c>hiddenLayerSizes</c>,
/// <c>learningRateInit</c>, ..., and a classifier's <c>classWeight</c>), as invariant text; those that only show progress are left out.
/// </param>
/// <param name="Incremental">Whether the fit is one epoch of <c>PartialFit</c>, continuing the fits before it, rather than a whole <c>Fit</c>.</param>
public sealed record MlpFitStart(string Estimator, bool IsClassifier, IReadOnlyDictionary<string, string> Settings, bool Incremental);
