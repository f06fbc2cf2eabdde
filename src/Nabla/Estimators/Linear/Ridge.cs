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

    private protected override double[] Solve(DesignMatrix x, double[] y, int targets) => LeastSquares.Solve(x, y, targets, Alpha);
}
