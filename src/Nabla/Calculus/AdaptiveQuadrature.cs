using System.Buffers;
using System.Globalization;

namespace Nabla.Calculus;

/// <summary>
/// QUADPACK's QAGS (dqagse; on infinite ranges QAGI, dqagie, on the mapped integrand): globally
/// adaptive bisection with a <see cref="GaussKronrodRule"/>, always splitting the interval with the largest
/// error estimate, plus Wynn ε-extrapolation of the sums over bisection levels to reach the limit
/// quickly for end-point singularities, with QUADPACK's round-off and divergence tests.
/// </summary>
/// <remarks>
/// The intervals are kept ordered by error as dqpsrt keeps them (an ordered index list rather than a
/// heap): during extrapolation the next interval to split is not the worst one but the worst one
/// still larger than the current smallest length, i.e. the <c>nrmax</c>-th of the list.
/// The port keeps QUADPACK's names for the state (area, errsum, erlarg, ertest, small, ...), its
/// 1-based indices and its order of operations, so that it evaluates the same points and takes the
/// same decisions; comments say what each test is for.
/// </remarks>
internal sealed class AdaptiveQuadrature
{
    /// <summary>The largest relative spacing of doubles, 2⁻⁵² (QUADPACK's d1mach(4)).</summary>
    internal const double Epsilon = 2.220446049250313e-16;

    /// <summary>The smallest positive normal double (QUADPACK's d1mach(1)).</summary>
    internal const double Underflow = 2.2250738585072014e-308;

    private const double Overflow = double.MaxValue;

    private readonly MappedIntegrand _g;
    private readonly GaussKronrodRule _rule;
    private readonly int _limit;
    // Interval i (1-based) is [_alist[i], _blist[i]] with integral _rlist[i] and error _elist[i];
    // _iord lists interval numbers by decreasing error (the first _limit + 3 − last are kept ordered).
    private readonly double[] _alist, _blist, _rlist, _elist;
    private readonly int[] _iord;
    private int _maxerr, _nrmax;
    private double _errmax;
    // How many of the intervals above make up the final subdivision.
    private int _finalIntervals;

    private AdaptiveQuadrature(MappedIntegrand g, GaussKronrodRule rule, int limit, double[] alist, double[] blist, double[] rlist, double[] elist, int[] iord)
    {
        _g = g;
        _rule = rule;
        _limit = limit;
        (_alist, _blist, _rlist, _elist, _iord) = (alist, blist, rlist, elist, iord);
    }

    /// <summary>
    /// Integrates <paramref name="g"/> over [<paramref name="a"/>, <paramref name="b"/>] (a &lt; b) with
    /// <paramref name="rule"/> on at most <paramref name="limit"/> subintervals, to max(epsabs, epsrel·|I|).
    /// When <paramref name="subdivision"/> is given, the final subintervals are added to it with their
    /// integrals, in no particular order (none when the integrand was not finite).
    /// </summary>
    internal static IntegrationResult Integrate(MappedIntegrand g, GaussKronrodRule rule, double a, double b, double epsabs, double epsrel, int limit,
        List<(double Lower, double Upper, double Value)>? subdivision = null)
    {
        var doubles = ArrayPool<double>.Shared;
        var alist = doubles.Rent(limit + 1);
        var blist = doubles.Rent(limit + 1);
        var rlist = doubles.Rent(limit + 1);
        var elist = doubles.Rent(limit + 1);
        var iord = ArrayPool<int>.Shared.Rent(limit + 1);
        try
        {
            var quadrature = new AdaptiveQuadrature(g, rule, limit, alist, blist, rlist, elist, iord);
            var result = quadrature.Run(a, b, epsabs, epsrel);
            for (int i = 1; subdivision is not null && i <= quadrature._finalIntervals; i++)
                subdivision.Add((alist[i], blist[i], rlist[i]));
            return result;
        }
        finally
        {
            doubles.Return(alist);
            doubles.Return(blist);
            doubles.Return(rlist);
            doubles.Return(elist);
            ArrayPool<int>.Shared.Return(iord);
        }
    }

    private IntegrationResult Run(double a, double b, double epsabs, double epsrel)
    {
        const double eps = Epsilon;
        var first = _rule.Apply(_g, a, b);
        if (_g.Failed) return NonFinite(1);
        if (!double.IsFinite(first.AbsIntegral)) return Overflowed(1, a, b);
        double result = first.Value, abserr = first.Error, defabs = first.AbsIntegral;

        double dres = Math.Abs(result);
        double errbnd = Math.Max(epsabs, epsrel * dres);
        int last = 1;
        _alist[1] = a;
        _blist[1] = b;
        _rlist[1] = result;
        _elist[1] = abserr;
        _iord[1] = 1;
        // An error at the level of round-off in ∫|f| that still misses the tolerance cannot be improved.
        if (abserr <= 100 * eps * defabs && abserr > errbnd) return Finish(result, abserr, QuadratureStatus.Roundoff, last, errbnd);
        // An error estimate equal to resasc is the formula's cap, not a measurement: never trust it.
        if ((abserr <= errbnd && abserr != first.Deviation) || abserr == 0) return Finish(result, abserr, QuadratureStatus.Converged, last, errbnd);
        if (_limit == 1) return Finish(result, abserr, QuadratureStatus.BudgetExhausted, last, errbnd);

        var epsilonTable = new EpsilonExtrapolation();
        double firstResult = result;
        _errmax = abserr;
        _maxerr = 1;
        double area = result, errsum = abserr;
        abserr = Overflow;
        _nrmax = 1;
        int ktmin = 0;
        bool extrap = false, noext = false;
        int iroff1 = 0, iroff2 = 0, iroff3 = 0;
        bool roundoffInExtrapolation = false;        // QUADPACK's ierro = 3
        var ier = QuadratureStatus.Converged;
        double small = 0, erlarg = 0, ertest = 0, correc = 0;
        double badPoint = double.NaN;
        // Whether the integrand keeps one sign: the divergence test below only applies then.
        bool oneSigned = dres >= (1 - 50 * eps) * defabs;
        bool sumOfParts = false;                     // the final answer is Σ rlist, not the extrapolated value

        for (last = 2; last <= _limit; last++)
        {
            // Bisect the interval with the nrmax-th largest error.
            double a1 = _alist[_maxerr], b1 = 0.5 * (_alist[_maxerr] + _blist[_maxerr]);
            double a2 = b1, b2 = _blist[_maxerr];
            double erlast = _errmax;
            var left = _rule.Apply(_g, a1, b1);
            var right = _rule.Apply(_g, a2, b2);
            if (_g.Failed) return NonFinite(last);
            if (!double.IsFinite(left.AbsIntegral) || !double.IsFinite(right.AbsIntegral)) return Overflowed(last, a1, b2);
            double area1 = left.Value, error1 = left.Error, area2 = right.Value, error2 = right.Error;

            double area12 = area1 + area2, erro12 = error1 + error2;
            errsum = errsum + erro12 - _errmax;
            area = area + area12 - _rlist[_maxerr];
            if (!double.IsFinite(area)) return Overflowed(last, a, b);
            // Round-off watch: bisection that no longer changes the integral yet barely lowers the error
            // (iroff1/iroff2), or that raises the error (iroff3), means rounding dominates.
            if (left.Deviation != error1 && right.Deviation != error2)
            {
                if (Math.Abs(_rlist[_maxerr] - area12) <= 1e-5 * Math.Abs(area12) && erro12 >= 0.99 * _errmax)
                {
                    if (extrap) iroff2++;
                    else iroff1++;
                }
                if (last > 10 && erro12 > _errmax) iroff3++;
            }
            _rlist[_maxerr] = area1;
            _rlist[last] = area2;
            errbnd = Math.Max(epsabs, epsrel * Math.Abs(area));

            if (iroff1 + iroff2 >= 10 || iroff3 >= 20) ier = QuadratureStatus.Roundoff;
            if (iroff2 >= 5) roundoffInExtrapolation = true;
            if (last == _limit) ier = QuadratureStatus.BudgetExhausted;
            // The interval has shrunk to a few ulps around a2: the integrand misbehaves there.
            if (Math.Max(Math.Abs(a1), Math.Abs(b2)) <= (1 + 100 * eps) * (Math.Abs(a2) + 1000 * Underflow))
            {
                ier = QuadratureStatus.BadIntegrand;
                badPoint = a2;
            }

            // The larger-error half keeps the bisected interval's slot, the other goes to the end.
            if (error2 > error1)
            {
                _alist[_maxerr] = a2;
                _alist[last] = a1;
                _blist[last] = b1;
                _rlist[_maxerr] = area2;
                _rlist[last] = area1;
                _elist[_maxerr] = error2;
                _elist[last] = error1;
            }
            else
            {
                _alist[last] = a2;
                _blist[_maxerr] = b1;
                _blist[last] = b2;
                _elist[_maxerr] = error1;
                _elist[last] = error2;
            }
            Reorder(last);

            if (errsum <= errbnd)
            {
                // The tolerance is met, whatever the warnings of this last step (QUADPACK would still
                // report them; a met tolerance is what Converged promises).
                ier = QuadratureStatus.Converged;
                sumOfParts = true;
                break;
            }
            if (ier != QuadratureStatus.Converged) break;
            if (last == 2)
            {
                small = Math.Abs(b - a) * 0.375;
                erlarg = errsum;
                ertest = errbnd;
                epsilonTable.Start(firstResult, area);
                continue;
            }
            if (noext) continue;

            // erlarg: the error of the intervals larger than the smallest, which must shrink before
            // extrapolating over another level is worth it.
            erlarg -= erlast;
            if (Math.Abs(b1 - a1) > small) erlarg += erro12;
            if (!extrap)
            {
                // Keep bisecting by error until the interval to split next is one of the smallest.
                if (Math.Abs(_blist[_maxerr] - _alist[_maxerr]) > small) continue;
                extrap = true;
                _nrmax = 2;
            }

            if (!roundoffInExtrapolation && erlarg > ertest)
            {
                // The smallest interval has the largest error: first split the larger intervals that
                // carry the most error, then extrapolate.
                int id = _nrmax;
                int jupbnd = last > 2 + _limit / 2 ? _limit + 3 - last : last;
                bool largerLeft = false;
                for (int k = id; k <= jupbnd; k++)
                {
                    _maxerr = _iord[_nrmax];
                    _errmax = _elist[_maxerr];
                    if (Math.Abs(_blist[_maxerr] - _alist[_maxerr]) > small)
                    {
                        largerLeft = true;
                        break;
                    }
                    _nrmax++;
                }
                if (largerLeft) continue;
            }

            // Extrapolate over the bisection levels.
            var (reseps, abseps) = epsilonTable.Add(area);
            ktmin++;
            if (ktmin > 5 && abserr < 1e-3 * errsum) ier = QuadratureStatus.ExtrapolationStalled;
            if (abseps < abserr)
            {
                ktmin = 0;
                abserr = abseps;
                result = reseps;
                correc = erlarg;
                ertest = Math.Max(epsabs, epsrel * Math.Abs(reseps));
                if (abserr <= ertest) break;
            }

            // Start over on the next, finer level.
            if (epsilonTable.Count == 1) noext = true;
            if (ier == QuadratureStatus.ExtrapolationStalled) break;
            _maxerr = _iord[1];
            _errmax = _elist[_maxerr];
            _nrmax = 1;
            extrap = false;
            small *= 0.5;
            erlarg = errsum;
        }
        last = Math.Min(last, _limit);

        if (!sumOfParts)
        {
            // Choose between the extrapolated value and the plain sum of the parts: keep the one with
            // the smaller relative error, as QUADPACK does.
            if (abserr == Overflow) sumOfParts = true;
            else if (ier != QuadratureStatus.Converged || roundoffInExtrapolation)
            {
                if (roundoffInExtrapolation) abserr += correc;
                if (ier == QuadratureStatus.Converged) ier = QuadratureStatus.Roundoff;
                if (result != 0 && area != 0)
                    sumOfParts = abserr / Math.Abs(result) > errsum / Math.Abs(area);
                else if (abserr > errsum) sumOfParts = true;
                else if (area == 0) return Finish(result, abserr, ier, last, errbnd, badPoint);
            }
            if (!sumOfParts)
            {
                // Divergence test: the extrapolated value far from the sum of parts, or an error larger
                // than the sum itself, means the integral probably does not exist.
                if (!(!oneSigned && Math.Max(Math.Abs(result), Math.Abs(area)) <= defabs * 0.01)
                    && (0.01 > result / area || result / area > 100 || errsum > Math.Abs(area)))
                    ier = QuadratureStatus.Divergent;
                return Finish(result, abserr, ier, last, errbnd, badPoint);
            }
        }

        double sum = 0;
        for (int k = 1; k <= last; k++) sum += _rlist[k];
        return Finish(sum, errsum, ier, last, errbnd, badPoint);
    }

    /// <summary>
    /// QUADPACK's dqpsrt: puts the two halves just made (<c>_maxerr</c>, the larger error, and
    /// <paramref name="last"/>) into the descending order of <c>_iord</c>, then selects the nrmax-th
    /// interval to split next. Only the first <c>_limit + 3 − last</c> entries are kept ordered when
    /// few bisections remain, since no later one can reach further down.
    /// </summary>
    private void Reorder(int last)
    {
        var iord = _iord;
        var elist = _elist;
        if (last <= 2)
        {
            iord[1] = 1;
            iord[2] = 2;
        }
        else
        {
            // A bisection that raised the error (a difficult integrand) moves up past smaller errors.
            double errmax = elist[_maxerr];
            while (_nrmax > 1)
            {
                int above = iord[_nrmax - 1];
                if (errmax <= elist[above]) break;
                iord[_nrmax] = above;
                _nrmax--;
            }

            int jupbn = last > _limit / 2 + 2 ? _limit + 3 - last : last;
            double errmin = elist[last];
            int jbnd = jupbn - 1;
            int i = _nrmax + 1;
            // Insert errmax top-down, then errmin bottom-up.
            while (i <= jbnd && errmax < elist[iord[i]])
            {
                iord[i - 1] = iord[i];
                i++;
            }
            if (i > jbnd)
            {
                iord[jbnd] = _maxerr;
                iord[jupbn] = last;
            }
            else
            {
                iord[i - 1] = _maxerr;
                int k = jbnd;
                while (k >= i && errmin >= elist[iord[k]])
                {
                    iord[k + 1] = iord[k];
                    k--;
                }
                iord[k + 1] = last;
            }
        }
        _maxerr = iord[_nrmax];
        _errmax = elist[_maxerr];
    }

    private IntegrationResult Finish(double value, double error, QuadratureStatus status, int intervals, double tolerance, double badPoint = double.NaN)
    {
        _finalIntervals = intervals;
        // The running sums lose everything to cancellation when the errors span many orders of magnitude
        // (1/t⁴ on [10⁻¹⁰, 1]) and can end below 0: the final subintervals' own errors are then the estimate.
        if (error < 0)
        {
            error = 0;
            for (int i = 1; i <= intervals; i++) error += _elist[i];
        }
        int evaluations = _g.Evaluations;
        var inv = CultureInfo.InvariantCulture;
        string? message = status switch
        {
            QuadratureStatus.Converged => null,
            QuadratureStatus.BudgetExhausted => string.Create(inv,
                $"The evaluation budget ran out ({evaluations} evaluations, {intervals} subintervals) with an error estimate of {error:G3}, above the tolerance {tolerance:G3}. Raise maxEvaluations, or split the range at the integrand's singular or difficult points."),
            QuadratureStatus.Roundoff => string.Create(inv,
                $"Round-off error prevents reaching the tolerance {tolerance:G3}: further bisection no longer reduces the error estimate ({error:G3}). Ask for a looser tolerance."),
            QuadratureStatus.BadIntegrand => string.Create(inv,
                $"The integrand behaves too badly near x = {_g.ToX(badPoint):R} (a non-integrable singularity or a discontinuity?): the subintervals there shrank to rounding size with an error estimate of {error:G3}, above the tolerance {tolerance:G3}."),
            QuadratureStatus.ExtrapolationStalled => string.Create(inv,
                $"Round-off error stopped the extrapolation from converging (error estimate {error:G3}, tolerance {tolerance:G3}). Ask for a looser tolerance, or split the range at the integrand's singular points."),
            QuadratureStatus.Divergent => string.Create(inv,
                $"The integral is probably divergent, or converges too slowly to estimate (error estimate {error:G3}, tolerance {tolerance:G3})."),
            _ => throw new InvalidOperationException($"Unknown status {status}."),
        };
        return new IntegrationResult(value, error, evaluations, status == QuadratureStatus.Converged, message, intervals);
    }

    // f is finite, but its integral over [a, b] (in the rule's variable) is not: f times the stretch of x is beyond doubles.
    private IntegrationResult Overflowed(int intervals, double a, double b)
    {
        double x1 = _g.ToX(a), x2 = _g.ToX(b);
        return new(double.NaN, double.PositiveInfinity, _g.Evaluations, false,
            string.Create(CultureInfo.InvariantCulture, $"The integral overflows double precision: the integrand's mass over [{Math.Min(x1, x2):G6}, {Math.Max(x1, x2):G6}] alone exceeds ±1.8e308."),
            intervals);
    }

    private IntegrationResult NonFinite(int intervals) => new(
        double.NaN, double.PositiveInfinity, _g.Evaluations, false,
        string.Create(CultureInfo.InvariantCulture, $"The integrand is {_g.FailedValue} at x = {_g.FailedAt:R}: it must be finite at every point the rule samples."),
        intervals);

    private enum QuadratureStatus
    {
        Converged,
        BudgetExhausted,
        Roundoff,
        BadIntegrand,
        ExtrapolationStalled,
        Divergent,
    }
}
