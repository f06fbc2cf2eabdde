using System.Text.Json.Nodes;
using Nabla.Data;
using Nabla.Optim;

namespace Nabla.Estimators;

/// <summary>
/// Least squares with an L2 penalty, as scikit-learn's <c>Ridge</c>: the weights w and intercept b
/// that minimise ‖y − X·w − b‖² + α‖w‖², in closed form.
/// </summary>
/// <remarks>
/// The intercept is not penalised (the data is centred first). Several targets share one α and
/// one factorisation. The solution is that of scikit-learn's "cholesky" and "svd" solvers,
/// (XᵀX + αI)⁻¹Xᵀy, computed as described in <see cref="LeastSquares"/>.
/// <code>var model = new Ridge(alpha: 1).Fit(X, y);</code>
/// </remarks>
public sealed class Ridge : LinearRegressor<Ridge>
{
    /// <summary>Creates the estimator; the settings are checked here.</summary>
    /// <param name="alpha">The penalty strength α (≥ 0, scikit-learn's <c>alpha</c>); 0 is ordinary least squares.</param>
    /// <param name="fitIntercept">Whether to learn an intercept (scikit-learn's <c>fit_intercept</c>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is negative, NaN or infinite.</exception>
    public Ridge(double alpha = 1.0, bool fitIntercept = true) : base(fitIntercept) =>
        Alpha = Hyperparameters.NonNegative(alpha, "Ridge: alpha", nameof(alpha));

    /// <summary>The penalty strength α.</summary>
    public double Alpha { get; }

    /// <summary>The estimator's kind in a model file.</summary>
    internal const string KindName = "ridge";

    /// <summary>The fitted state: settings "alpha" and "fit_intercept"; tensors "coef" and "intercept".</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    internal EstimatorState ExportState() => LinearState(KindName, new JsonObject { ["alpha"] = Alpha, ["fit_intercept"] = FitIntercept });

    /// <summary>The fitted estimator a saved state describes; the settings are checked as the constructor checks them.</summary>
    /// <exception cref="InvalidDataException">A setting, fitted value or tensor is missing, malformed or out of range.</exception>
    internal static Ridge FromState(StateReader state)
    {
        var model = StateReader.Build(() => new Ridge(state.Settings.Number("alpha"), state.Settings.Flag("fit_intercept")));
        model.RestoreLinear(state);
        return model;
    }

    private protected override double[] Solve(DesignMatrix x, double[] y, int targets, SampleBlocks blocks, long rows) =>
        LeastSquares.Solve(x, y, targets, Alpha, blocks, rows);
}
