using System.Text.Json.Nodes;
using Nabla.Data;
using Nabla.Metrics;

namespace Nabla.Estimators;

/// <summary>
/// An estimator that learns numeric targets: <see cref="Fit"/>, <see cref="Predict"/> and
/// <see cref="Score"/> (R²), the common shape of <see cref="LinearRegression"/>,
/// <see cref="Ridge"/> and the other regressors.
/// </summary>
/// <typeparam name="TSelf">The concrete estimator, so that <see cref="Fit"/> returns it typed for chaining.</typeparam>
/// <remarks>
/// X is a <see cref="FeatureMatrix"/> (a 2-D tensor, <c>double[,]</c> or <c>float[][]</c>); y is
/// one target a sample or several (<see cref="RegressionTargets"/>), and predictions come back in
/// the same layout: (N) for one target, (N, T) for T. Results are Float64.
/// </remarks>
public abstract class Regressor<TSelf> : Estimator, IRegressor where TSelf : Regressor<TSelf>
{
    private int _targets;
    private bool _oneDimensional;

    private protected Regressor() { }

    /// <summary>Learns from samples <paramref name="x"/> (N, F) and targets <paramref name="y"/> (N) or (N, T).</summary>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException">X or y is null.</exception>
    /// <exception cref="ShapeMismatchException">X is not 2-D, or y's sample count differs from X's.</exception>
    /// <exception cref="ArgumentException">X or y is empty or holds NaN or infinity.</exception>
    public TSelf Fit(FeatureMatrix x, RegressionTargets y) => Learn(x, y, nameof(Fit), FitCore);

    /// <summary>
    /// Checks samples and targets and hands them to <paramref name="core"/>; a fitted estimator
    /// (continuing, as <c>PartialFit</c> does) also checks them against the fitted feature and target counts.
    /// </summary>
    private protected TSelf Learn(FeatureMatrix x, RegressionTargets y, string member, Action<DesignMatrix, TargetMatrix> core)
    {
        string who = $"{Name}.{member}";
        var design = x.ToDesign(who);
        var targets = y.ToTargets(design.Rows, who);
        if (member != nameof(Fit) && IsFitted)
        {
            design.RequireFeatures(NFeaturesIn, who);
            if (targets.Columns != _targets)
                throw new ShapeMismatchException($"{who}: fitted with {_targets} targets, y has {targets.Columns}.");
        }
        core(design, targets);
        Fitted(design.Columns, targets.Columns, targets.OneDimensional);
        return (TSelf)this;
    }

    /// <summary>Records a completed fit on <paramref name="features"/> features and <paramref name="targets"/> targets, given as a vector when <paramref name="oneDimensional"/>.</summary>
    private protected void Fitted(int features, int targets, bool oneDimensional)
    {
        (_targets, _oneDimensional) = (targets, oneDimensional);
        MarkFitted(features);
    }

    void IRegressor.FitUntyped(FeatureMatrix x, RegressionTargets y) => Fit(x, y);

    int IRegressor.NTargets => _targets;

    /// <summary>The predicted targets for the samples <paramref name="x"/>: Float64, (N) when fitted on one target as a vector, (N, T) otherwise.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    /// <exception cref="ShapeMismatchException">X has another number of features than the estimator was fitted with.</exception>
    public Tensor Predict(FeatureMatrix x)
    {
        var design = ForPrediction(x, nameof(Predict));
        var values = PredictCore(design);
        return _oneDimensional ? Tensor.FromArray(values) : Tensor.FromArray(values, design.Rows, _targets);
    }

    /// <summary>The coefficient of determination R² of the predictions for <paramref name="x"/> against <paramref name="y"/>, averaged over the targets (scikit-learn's <c>score</c>).</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    /// <exception cref="ShapeMismatchException">X has another number of features, or y another number of samples or targets.</exception>
    public double Score(FeatureMatrix x, RegressionTargets y)
    {
        var design = ForPrediction(x, nameof(Score));
        var targets = y.ToTargets(design.Rows, $"{Name}.{nameof(Score)}");
        if (targets.Columns != _targets)
            throw new ShapeMismatchException($"{Name}.{nameof(Score)}: fitted with {_targets} targets, y has {targets.Columns}.");
        return RegressionMetrics.R2(new DesignMatrix(targets.Values, design.Rows, _targets).ToArray(), new DesignMatrix(PredictCore(design), design.Rows, _targets).ToArray());
    }

    /// <summary>The fitted values every regressor saves (<see cref="EstimatorState.Fitted"/>): "n_features_in", "n_targets" and "one_dimensional" (fitted on a vector of targets).</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    internal JsonObject FittedState()
    {
        RequireFitted("saving");
        return new JsonObject { ["n_features_in"] = NFeaturesIn, ["n_targets"] = _targets, ["one_dimensional"] = _oneDimensional };
    }

    /// <summary>
    /// Makes the estimator fitted with the numbers of features and targets of a saved state, as
    /// loading a model file does, and returns them; the caller restores the weights.
    /// </summary>
    /// <exception cref="InvalidDataException">A value is missing or malformed, or a vector of targets is said to hold several.</exception>
    internal (int Features, int Targets, bool OneDimensional) RestoreFitted(StateReader state)
    {
        int features = state.Fitted.Integer("n_features_in", 1), targets = state.Fitted.Integer("n_targets", 1);
        bool oneDimensional = state.Fitted.Flag("one_dimensional");
        if (oneDimensional && targets != 1)
            throw new InvalidDataException($"its fitted values say the targets were one vector but number {targets}");
        (_targets, _oneDimensional) = (targets, oneDimensional);
        MarkFitted(features);
        return (features, targets, oneDimensional);
    }

    /// <summary>Learns from checked samples and targets; the base records the feature and target counts afterwards.</summary>
    private protected abstract void FitCore(DesignMatrix x, TargetMatrix y);

    /// <summary>The predictions for checked samples, row-major N × T.</summary>
    private protected abstract double[] PredictCore(DesignMatrix x);
}
