namespace Nabla.Calculus;

/// <summary>
/// Wynn's ε-algorithm over a sequence of approximations to one limit, as QUADPACK's dqelg keeps it:
/// only the two lower diagonals of the ε-table are stored, at most 50 elements; each new element
/// adds a diagonal, and the result is the element of that diagonal whose neighbours agree best.
/// </summary>
/// <remarks>
/// Adaptive quadrature feeds it the integral after each bisection level; for integrands with an
/// end-point singularity (ln x, x^−½) those sums converge like a geometric series plus powers of
/// the interval length, which the ε-algorithm sums to the limit after a handful of levels.
/// </remarks>
internal sealed class EpsilonExtrapolation
{
    private const int MaxElements = 50;

    // 1-based as in dqelg, so the index arithmetic reads as the original; two spare slots at the top.
    private readonly double[] _table = new double[MaxElements + 3];
    private readonly double[] _lastResults = new double[3];
    private int _calls;

    /// <summary>How many elements the first column holds; the table drops its oldest part when it must.</summary>
    internal int Count { get; private set; }

    /// <summary>Starts the table with <paramref name="first"/> and <paramref name="second"/>.</summary>
    internal void Start(double first, double second)
    {
        _table[1] = first;
        _table[2] = second;
        Count = 2;
    }

    /// <summary>
    /// Appends the next approximation and returns the extrapolated limit with its error estimate
    /// (which stays at <see cref="double.MaxValue"/> until three extrapolations can be compared).
    /// </summary>
    internal (double Value, double Error) Add(double approximation)
    {
        int n = ++Count;
        _table[n] = approximation;
        const double eps = AdaptiveQuadrature.Epsilon;
        _calls++;
        double error = double.MaxValue;
        double result = _table[n];
        if (n < 3) return (result, Math.Max(error, 5 * eps * Math.Abs(result)));

        _table[n + 2] = _table[n];
        int newElements = (n - 1) / 2;
        _table[n] = double.MaxValue;
        int original = n;
        int k1 = n;
        bool converged = false;
        for (int i = 1; i <= newElements; i++)
        {
            int k2 = k1 - 1, k3 = k1 - 2;
            double res = _table[k1 + 2];
            double e0 = _table[k3], e1 = _table[k2], e2 = res;
            double e1Abs = Math.Abs(e1);
            double delta2 = e2 - e1, err2 = Math.Abs(delta2), tol2 = Math.Max(Math.Abs(e2), e1Abs) * eps;
            double delta3 = e1 - e0, err3 = Math.Abs(delta3), tol3 = Math.Max(e1Abs, Math.Abs(e0)) * eps;
            if (err2 <= tol2 && err3 <= tol3)
            {
                // e0, e1 and e2 agree to machine accuracy: take the limit as reached.
                result = res;
                error = err2 + err3;
                converged = true;
                break;
            }
            double e3 = _table[k1];
            _table[k1] = e1;
            double delta1 = e1 - e3, err1 = Math.Abs(delta1), tol1 = Math.Max(e1Abs, Math.Abs(e3)) * eps;
            // Two nearly equal neighbours, or an irregular table (written so that NaN counts as
            // irregular): cut the table off below this diagonal.
            double ss = 1 / delta1 + 1 / delta2 - 1 / delta3;
            if (err1 <= tol1 || err2 <= tol2 || err3 <= tol3 || !(Math.Abs(ss * e1) > 1e-4))
            {
                n = i + i - 1;
                break;
            }
            res = e1 + 1 / ss;
            _table[k1] = res;
            k1 -= 2;
            double candidateError = err2 + Math.Abs(res - e2) + err3;
            if (candidateError <= error)
            {
                error = candidateError;
                result = res;
            }
        }

        if (!converged)
        {
            if (n == MaxElements) n = 2 * (MaxElements / 2) - 1;
            // Shift the table: keep only what the next diagonal needs.
            int ib = original % 2 == 0 ? 2 : 1;
            for (int i = 1; i <= newElements + 1; i++, ib += 2)
                _table[ib] = _table[ib + 2];
            if (original != n)
            {
                int index = original - n + 1;
                for (int i = 1; i <= n; i++, index++)
                    _table[i] = _table[index];
            }
            if (_calls < 4)
            {
                _lastResults[_calls - 1] = result;
                error = double.MaxValue;
            }
            else
            {
                // The spread of the last four extrapolated values, not the table's own difference.
                error = Math.Abs(result - _lastResults[2]) + Math.Abs(result - _lastResults[1]) + Math.Abs(result - _lastResults[0]);
                (_lastResults[0], _lastResults[1], _lastResults[2]) = (_lastResults[1], _lastResults[2], result);
            }
        }
        Count = n;
        return (result, Math.Max(error, 5 * eps * Math.Abs(result)));
    }
}
