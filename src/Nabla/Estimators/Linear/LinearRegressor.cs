using System.Numerics.Tensors;
using System.Text.Json.Nodes;
using Nabla.Data;

namespace Nabla.Estimators;

/// <summary>
/// A regressor whose prediction is linear in the features, ŷ = X·Coefᵀ + Intercept: the shared
/// part of <see cref="LinearRegression"/> and <see cref="Ridge"/> (fitted attributes, centring,
/// prediction by GEMM).
/// </summary>
/// <typeparam name="TSelf">The concrete estimator, so that <c>Fit</c> returns it typed for chaining.</typeparam>
/// <remarks>
/// With <see cref="FitIntercept"/>, the model is fitted on centred data (each feature and target
/// minus its mean) and the intercept is ȳ − x̄·w afterwards, as scikit-learn does: the intercept is
/// then never penalised, and the solver sees better-conditioned data.
/// </remarks>
public abstract class LinearRegressor<TSelf> : Regressor<TSelf> where TSelf : LinearRegressor<TSelf>
{
    private double[] _coef = [];
    private double[] _intercept = [];
    private bool _oneTarget;
    private int _targets;

    private protected LinearRegressor(bool fitIntercept) => FitIntercept = fitIntercept;

    /// <summary>Whether an intercept is learned (scikit-learn's <c>fit_intercept</c>); without it the data is assumed centred and the intercept is 0.</summary>
    public bool FitIntercept { get; }

    /// <summary>The weights (scikit-learn's <c>coef_</c>): Float64 (F) when fitted on one target given as a vector, (T, F) otherwise.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public Tensor Coef
    {
        get
        {
            RequireFitted(nameof(Coef));
            return _oneTarget ? Tensor.FromArray(_coef) : Tensor.FromArray(_coef, _targets, _coef.Length / _targets);
        }
    }

    /// <summary>The intercept (scikit-learn's <c>intercept_</c>): a Float64 scalar tensor when fitted on one target given as a vector, (T) otherwise; zeros without <see cref="FitIntercept"/>.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public Tensor Intercept
    {
        get
        {
            RequireFitted(nameof(Intercept));
            return _oneTarget ? Tensor.Scalar(_intercept[0], DType.Float64) : Tensor.FromArray(_intercept);
        }
    }

    private protected sealed override void FitCore(DesignMatrix x, TargetMatrix y)
    {
        int f = x.Columns, t = y.Columns;
        var featureMeans = new double[f];
        var targetMeans = new double[t];
        var data = x;
        var targets = y.Values;
        if (FitIntercept)
        {
            data = new DesignMatrix(Centre(x.Values, x.Rows, f, featureMeans), x.Rows, f);
            targets = Centre(y.Values, y.Rows, t, targetMeans);
        }
        var weights = Solve(data, targets, t);

        // Coef is Wᵀ (T × F), scikit-learn's layout; intercept = ȳ − x̄·w per target.
        _coef = new double[t * f];
        _intercept = new double[t];
        for (int j = 0; j < t; j++)
        {
            for (int i = 0; i < f; i++) _coef[j * f + i] = weights[i * t + j];
            _intercept[j] = targetMeans[j] - TensorPrimitives.Dot<double>(featureMeans, _coef.AsSpan(j * f, f));
        }
        (_oneTarget, _targets) = (y.OneDimensional, t);
    }

    private protected sealed override double[] PredictCore(DesignMatrix x) => x.LinearScores(_coef, _intercept);

    /// <summary>The fitted state with the subclass's kind and settings: "coef" and "intercept" as <see cref="Coef"/> and <see cref="Intercept"/> give them.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    private protected EstimatorState LinearState(string kind, JsonObject settings)
    {
        string fitted = FittedState().ToJsonString();
        return new EstimatorState(kind, settings.ToJsonString(), fitted, new Dictionary<string, Tensor> { ["coef"] = Coef, ["intercept"] = Intercept }, null);
    }

    /// <summary>Restores the weights of a saved state: "coef" (F) and a scalar "intercept" when fitted on one target as a vector, (T, F) and (T) otherwise.</summary>
    /// <exception cref="InvalidDataException">A fitted value or tensor is missing or of the wrong type or shape.</exception>
    private protected void RestoreLinear(StateReader state)
    {
        var (features, targets, oneDimensional) = RestoreFitted(state);
        _coef = state.Values("coef", oneDimensional ? [features] : [targets, features]);
        _intercept = state.Values("intercept", oneDimensional ? [] : [targets]);
        (_oneTarget, _targets) = (oneDimensional, targets);
    }

    /// <summary>The weights W (row-major F × T) for the (centred, when fitting an intercept) data and targets.</summary>
    private protected abstract double[] Solve(DesignMatrix x, double[] y, int targets);

    /// <summary>A copy of the row-major rows × columns matrix minus its column means, which it writes to <paramref name="means"/>.</summary>
    private static double[] Centre(double[] values, int rows, int columns, double[] means)
    {
        for (int i = 0; i < rows; i++)
            TensorPrimitives.Add(values.AsSpan(i * columns, columns), means, means);
        TensorPrimitives.Divide(means, rows, means);
        var centred = new double[rows * columns];
        for (int i = 0; i < rows; i++)
            TensorPrimitives.Subtract(values.AsSpan(i * columns, columns), means, centred.AsSpan(i * columns, columns));
        return centred;
    }
}
