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

    private protected sealed override void FitCore(DesignMatrix x, TargetMatrix y) => Solve(x, y, SampleBlocks.Whole);

    /// <summary>
    /// Fits on this worker's block of the samples, the others holding the rest (the distributed
    /// fit): the means for centring and the least-squares triangle are combined over
    /// <paramref name="blocks"/>, so every worker ends with the weights a fit on all the rows gives.
    /// </summary>
    /// <param name="x">This block's samples, checked; it may hold no rows.</param>
    /// <param name="y">This block's targets, checked; the same number of targets on every worker.</param>
    /// <param name="blocks">The exchanges between the workers.</param>
    /// <returns>This estimator, fitted.</returns>
    internal TSelf FitBlock(DesignMatrix x, TargetMatrix y, SampleBlocks blocks)
    {
        Solve(x, y, blocks);
        Fitted(x.Columns, y.Columns, y.OneDimensional);
        return (TSelf)this;
    }

    private void Solve(DesignMatrix x, TargetMatrix y, SampleBlocks blocks)
    {
        int f = x.Columns, t = y.Columns;
        // Column sums of X, then of Y, then the row count: one exchange gives the means of all the rows.
        var sums = new double[f + t + 1];
        for (int i = 0; i < x.Rows; i++)
        {
            TensorPrimitives.Add(x.Values.AsSpan(i * f, f), sums.AsSpan(0, f), sums.AsSpan(0, f));
            TensorPrimitives.Add(y.Values.AsSpan(i * t, t), sums.AsSpan(f, t), sums.AsSpan(f, t));
        }
        sums[f + t] = x.Rows;
        blocks.Sum(sums);
        long rows = (long)sums[f + t];

        var featureMeans = new double[f];
        var targetMeans = new double[t];
        var data = x;
        var targets = y.Values;
        if (FitIntercept)
        {
            TensorPrimitives.Divide(sums.AsSpan(0, f), rows, featureMeans);
            TensorPrimitives.Divide(sums.AsSpan(f, t), rows, targetMeans);
            data = new DesignMatrix(Centred(x.Values, x.Rows, f, featureMeans), x.Rows, f);
            targets = Centred(y.Values, y.Rows, t, targetMeans);
        }
        var weights = Solve(data, targets, t, blocks, rows);

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

    /// <summary>
    /// The weights W (row-major F × T) for this block of the (centred, when fitting an intercept) data
    /// and targets, the blocks' triangles combined over <paramref name="blocks"/>; <paramref name="rows"/> is
    /// the number of rows of all the blocks.
    /// </summary>
    private protected abstract double[] Solve(DesignMatrix x, double[] y, int targets, SampleBlocks blocks, long rows);

    /// <summary>A copy of the row-major rows × columns matrix minus <paramref name="means"/> from each row.</summary>
    private static double[] Centred(double[] values, int rows, int columns, double[] means)
    {
        var centred = new double[rows * columns];
        for (int i = 0; i < rows; i++)
            TensorPrimitives.Subtract(values.AsSpan(i * columns, columns), means, centred.AsSpan(i * columns, columns));
        return centred;
    }
}
