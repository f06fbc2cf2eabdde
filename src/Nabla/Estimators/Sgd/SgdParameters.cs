namespace Nabla.Estimators;

/// <summary>
/// The weights SGD learns for one or more linear problems (one a class for one-vs-all):
/// row-major <see cref="Coef"/> (rows × F) and <see cref="Intercept"/>, and, when averaging, their
/// running averages; kept between <c>PartialFit</c> calls and for a warm start.
/// </summary>
internal sealed class SgdParameters(int rows, int features, bool averaging)
{
    /// <summary>The weights the updates move (scikit-learn's <c>_standard_coef</c>).</summary>
    public double[] Coef { get; } = new double[rows * features];

    /// <summary>The intercepts the updates move.</summary>
    public double[] Intercept { get; } = new double[rows];

    /// <summary>The averaged weights, or null without averaging.</summary>
    public double[]? AverageCoef { get; } = averaging ? new double[rows * features] : null;

    /// <summary>The averaged intercepts (zeros without averaging).</summary>
    public double[] AverageIntercept { get; } = new double[rows];

    /// <summary>The number of problems (rows of weights).</summary>
    public int Rows => rows;

    /// <summary>The number of features.</summary>
    public int Features => features;

    /// <summary>The weights of a loaded model, which a warm start or <c>PartialFit</c> continues from (the averages start afresh).</summary>
    public static SgdParameters Restored(double[] coef, double[] intercept, int features, bool averaging)
    {
        var restored = new SgdParameters(intercept.Length, features, averaging);
        coef.CopyTo(restored.Coef, 0);
        intercept.CopyTo(restored.Intercept, 0);
        return restored;
    }

    /// <summary>
    /// The weights a fit starts from: zeros, or with <paramref name="warm"/> the weights and
    /// intercepts of <paramref name="previous"/> when it has the same shape (the averages start afresh).
    /// </summary>
    public static SgdParameters Start(SgdParameters? previous, bool warm, int rows, int features, bool averaging)
    {
        var start = new SgdParameters(rows, features, averaging);
        if (warm && previous is not null && previous.Rows == rows && previous.Features == features)
        {
            previous.Coef.CopyTo(start.Coef, 0);
            previous.Intercept.CopyTo(start.Intercept, 0);
        }
        return start;
    }

    /// <summary>
    /// The weights the model predicts with: the averages once <paramref name="average"/> ≤ t − 1
    /// updates were made (scikit-learn's rule), the plain weights otherwise. Copies.
    /// </summary>
    public (double[] Coef, double[] Intercept) Effective(int average, double t) =>
        AverageCoef is { } averaged && average <= t - 1
            ? ((double[])averaged.Clone(), (double[])AverageIntercept.Clone())
            : ((double[])Coef.Clone(), (double[])Intercept.Clone());
}
