namespace Nabla.Explain;

/// <summary>The attributions of <see cref="IntegratedGradients"/> and, per row, how far they can be trusted.</summary>
/// <param name="Attributions">The attribution of each feature, a Float64 tensor shaped like the rows explained.</param>
/// <param name="ErrorBound">
/// Per row, the estimated error summed over features (which also bounds the completeness gap, apart from the
/// rounding of F); NaN for the fixed Gauss–Legendre rule, which gives no estimate.
/// </param>
/// <param name="CompletenessError">Per row, Σ attributions − (F(x) − F(x')): 0 for exact integration.</param>
/// <param name="OutputDifference">Per row, F(x) − F(x'), what the attributions share out.</param>
/// <param name="Evaluations">Per row, how many gradients (points on the path) were evaluated.</param>
/// <param name="Converged">Per row, whether the adaptive rule met its tolerance (false for the fixed rule, which has none).</param>
public sealed record IntegratedGradientsResult(Tensor Attributions, double[] ErrorBound, double[] CompletenessError,
    double[] OutputDifference, int[] Evaluations, bool[] Converged);
