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

    private protected override double[] Solve(DesignMatrix x, double[] y, int targets) => LeastSquares.Solve(x, y, targets, alpha: 0);
}
