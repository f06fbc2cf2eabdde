using System.Text.Json.Nodes;
using Nabla.Data;

namespace Nabla.Estimators;

/// <summary>
/// Ordinary least squares, as scikit-learn's <c>LinearRegression</c>: the weights w and
/// intercept b that minimise ‖y − X·w − b‖².
/// </summary>
/// <remarks>
/// Rank-deficient data (a duplicated column, more features than samples) gets the minimum-norm
/// solution, as scikit-learn's (scipy's <c>lstsq</c>) does: a duplicated column shares its weight
/// equally with its copy. The solver is described in <see cref="LeastSquares"/>: a tall-skinny Householder
/// QR of the data, then a complete orthogonal decomposition of the small triangle.
/// <code>
/// var model = new LinearRegression().Fit(X, y);
/// Tensor predicted = model.Predict(XTest);
/// double r2 = model.Score(XTest, yTest);
/// </code>
/// scikit-learn's <c>positive</c> (non-negative weights) and sample weights are not supported.
/// </remarks>
public sealed class LinearRegression : LinearRegressor<LinearRegression>
{
    /// <summary>Creates the estimator.</summary>
    /// <param name="fitIntercept">Whether to learn an intercept (scikit-learn's <c>fit_intercept</c>).</param>
    public LinearRegression(bool fitIntercept = true) : base(fitIntercept) { }

    /// <summary>The estimator's kind in a model file.</summary>
    internal const string KindName = "linear_regression";

    /// <summary>The fitted state: settings "fit_intercept"; tensors "coef" and "intercept".</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    internal EstimatorState ExportState() => LinearState(KindName, new JsonObject { ["fit_intercept"] = FitIntercept });

    /// <summary>The fitted estimator a saved state describes.</summary>
    /// <exception cref="InvalidDataException">A setting, fitted value or tensor is missing, malformed or out of range.</exception>
    internal static LinearRegression FromState(StateReader state)
    {
        var model = new LinearRegression(state.Settings.Flag("fit_intercept"));
        model.RestoreLinear(state);
        return model;
    }

    private protected override double[] Solve(DesignMatrix x, double[] y, int targets, SampleBlocks blocks, long rows) =>
        LeastSquares.Solve(x, y, targets, alpha: 0, blocks, rows);
}
