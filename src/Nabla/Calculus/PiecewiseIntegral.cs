using System.Globalization;

namespace Nabla.Calculus;

/// <summary>
/// The integral over a range split into <see cref="QuadraturePiece"/>s: each piece by adaptive
/// quadrature on its share of the budget and of the absolute tolerance (or, when it has a finer cover and
/// meets only the absolute tolerance, by that cover), summed; and a result that rests on no evidence of the
/// integrand's mass is refused.
/// </summary>
internal static class PiecewiseIntegral
{
    /// <summary>
    /// Integrates every piece to max(<paramref name="epsabs"/>/n, <paramref name="epsrel"/>·|its value|)
    /// with at most <paramref name="maxEvaluations"/> calls of f in all; unused calls pass on to the next piece.
    /// </summary>
    internal static IntegrationResult Integrate(List<QuadraturePiece> pieces, double epsabs, double epsrel, int maxEvaluations)
    {
        var sum = Sum(pieces, epsabs, epsrel, maxEvaluations);
        return sum.ErrorEstimate == 0 && sum.Converged ? WithoutEvidence(sum, pieces) : sum;
    }

    private static IntegrationResult Sum(IReadOnlyList<QuadraturePiece> pieces, double epsabs, double epsrel, int maxEvaluations)
    {
        double value = 0, error = 0;
        int evaluations = 0, intervals = 0;
        string? message = null;
        for (int i = 0; i < pieces.Count; i++)
        {
            var piece = pieces[i];
            int cost = piece.Rule.Points;
            // Never below one rule per piece left: the caller checked that the budget covers that.
            int budget = (maxEvaluations - evaluations) / (pieces.Count - i);
            var result = AdaptiveQuadrature.Integrate(piece.Integrand, piece.Rule, piece.Lower, piece.Upper,
                epsabs / pieces.Count, epsrel, 1 + (budget - cost) / (2 * cost));
            int left = budget - result.Evaluations;
            // Met by the relative tolerance, with an error estimate that is not 0 (f was not 0 at every point): trusted as it is.
            bool resolved = result.ErrorEstimate > 0 && result.ErrorEstimate <= epsrel * Math.Abs(result.Value);
            if (piece.Finer is { } finer && result.Converged && !resolved && left >= finer.Sum(p => p.Rule.Points))
            {
                var closer = Sum(finer, epsabs / pieces.Count, epsrel, left);
                result = closer with { Evaluations = result.Evaluations + closer.Evaluations };
            }
            value += result.Value;
            error += result.ErrorEstimate;
            evaluations += result.Evaluations;
            intervals += result.Intervals;
            if (!result.Converged && message is null)
                message = pieces.Count == 1 ? result.Message : $"On {piece.Describe()}: {result.Message}";
        }
        if (!double.IsFinite(value) && message is null)
        {
            // Each piece is finite, their sum is not: NaN, as for any integral beyond doubles, not a value to check for divergence.
            (value, error) = (double.NaN, double.PositiveInfinity);
            message = string.Create(CultureInfo.InvariantCulture, $"The integral overflows double precision: its pieces ({QuadraturePiece.Describe(pieces)}) add up to more than ±1.8e308.");
        }
        return new IntegrationResult(value, error, evaluations, message is null, message, intervals);
    }

    /// <summary>
    /// An error estimate of 0 means that f was 0 at every point of every final subinterval. On an
    /// ordinary finite range where f was never seen to be anything else, 0 is the answer (ReLU-like
    /// integrands are 0 on whole ranges); but on a wide or infinite range, or where f was seen to be
    /// non-zero and the bisections lost it, the mass lies between the points sampled and the 0 is unfounded.
    /// </summary>
    private static IntegrationResult WithoutEvidence(IntegrationResult sum, List<QuadraturePiece> pieces)
    {
        var seen = pieces.SelectMany(p => (IEnumerable<QuadraturePiece>)[p, .. p.Finer ?? []])
            .Select(p => p.Integrand.FirstNonZero).FirstOrDefault(s => s is not null);
        if (seen is null && pieces is [{ Integrand.IsMapped: false }]) return sum;
        var inv = CultureInfo.InvariantCulture;
        string range = QuadraturePiece.Describe(pieces);
        string message = seen is (double x, double y)
            ? string.Create(inv, $"The integrand is 0 at every point of the final subdivision of {range}, yet f({x:R}) = {y:G6}: its mass lies between the points sampled, on a scale finer than their spacing, so the integral cannot be established. Split the range at x = {x:R}, or narrow it to where the integrand is not 0.")
            : string.Create(inv, $"The integrand is 0 at every point sampled on {range}, so the integral cannot be established: on a range this wide, mass between the points (a peak narrower than their spacing) would be missed. Narrow the range to where the integrand is not 0.");
        return sum with { Converged = false, Message = message };
    }
}
