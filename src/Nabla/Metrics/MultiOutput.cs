namespace Nabla.Metrics;

/// <summary>
/// How the scores of several regression outputs (columns) are combined, as scikit-learn's
/// <c>multioutput</c>; the per-output scores (<c>raw_values</c>) have their own <c>…PerOutput</c> methods.
/// </summary>
public enum MultiOutput
{
    /// <summary>The plain mean of the per-output scores.</summary>
    UniformAverage,

    /// <summary>The mean of the per-output scores weighted by the variance of each true output (R² and explained variance only).</summary>
    VarianceWeighted,
}
