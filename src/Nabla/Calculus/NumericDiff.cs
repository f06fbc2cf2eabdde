using System.Globalization;

namespace Nabla.Calculus;

/// <summary>
/// Numeric derivatives of plain functions, with error estimates: central differences extrapolated
/// to a zero step by Ridders' method (Numerical Recipes, <c>dfridr</c>). The step is chosen
/// automatically from the point's scale by trying several first steps and keeping the result whose
/// extrapolation tableau is most self-consistent. Typically good to 1e-12 relative for first
/// derivatives of smooth functions and 1e-9 for second derivatives.
/// </summary>
/// <remarks>
/// The functions must be smooth near the point and defined on both sides of it. The functions of
/// several variables receive a scratch array that is rewritten between calls: they may read it but
/// must not keep it.
/// </remarks>
public static class NumericDiff
{
    /// <summary>The spacing of doubles at 1, 2⁻⁵²: the relative rounding of a well-computed f.</summary>
    private const double Epsilon = 2.220446049250313e-16;

    /// <summary>The first (f′) or second (f″) derivative of <paramref name="f"/> at <paramref name="x"/>.</summary>
    /// <param name="f">The function; it must be finite at <paramref name="x"/>.</param>
    /// <param name="x">The point, finite.</param>
    /// <param name="order">1 or 2.</param>
    /// <param name="initialStep">The largest step h to start from (central differences use x ± h);
    /// leave it out to let several be tried from x's scale.</param>
    /// <returns>The derivative and an estimate of its absolute error.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="f"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="x"/> is not finite, <paramref name="order"/>
    /// is not 1 or 2, or <paramref name="initialStep"/> is not positive and finite.</exception>
    /// <exception cref="ArgumentException"><paramref name="f"/>(<paramref name="x"/>) is NaN or infinite.</exception>
    /// <example><c>NumericDiff.Derivative(Math.Sin, 1.0)</c> is cos 1 with an error estimate near 1e-13.</example>
    public static Estimate Derivative(Func<double, double> f, double x, int order = 1, double? initialStep = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        CheckPoint(x, nameof(x), nameof(Derivative));
        if (order is not (1 or 2))
            throw new ArgumentOutOfRangeException(nameof(order), order,
                $"NumericDiff.Derivative: order must be 1 or 2, got {order}; for a higher order differentiate a derivative, or use Nabla.Symbolic.");
        CheckStep(initialStep, nameof(Derivative));
        double fx = CheckFinite(f(x), x, nameof(Derivative));

        Span<double> value = stackalloc double[1], error = stackalloc double[1];
        RiddersExtrapolation.DifferenceQuotient quotient = order == 1
            ? (h, d, r) => d[0] = CentralFirst(f, x, h, out r[0])
            : (h, d, r) => d[0] = CentralSecond(f, x, fx, h, out r[0]);
        StepSearch.Extrapolate(quotient, StepSearch.Scale(x), initialStep, value, error, x: x);
        return new Estimate(value[0], error[0]);
    }

    /// <summary>The gradient ∇f of a scalar function of several variables at <paramref name="x"/>, one partial derivative per entry.</summary>
    /// <param name="f">The function; it must be finite at <paramref name="x"/>, and not keep the array it is given.</param>
    /// <param name="x">The point, non-empty and finite; it is not modified.</param>
    /// <param name="initialStep">The largest step to start from in every coordinate; leave it out to try several from each coordinate's scale.</param>
    /// <returns>∂f/∂xᵢ for each i, with error estimates.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="f"/> or <paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty or has a non-finite entry, or f(x) is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialStep"/> is not positive and finite.</exception>
    public static VectorEstimate Gradient(Func<double[], double> f, double[] x, double? initialStep = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        CheckVector(x, nameof(Gradient));
        CheckStep(initialStep, nameof(Gradient));
        var point = new PointBuffer(x);
        CheckFinite(f(point.At()), x, nameof(Gradient));

        var value = new double[x.Length];
        var error = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            int k = i;
            double g(double t) => f(point.At(k, t));
            RiddersExtrapolation.DifferenceQuotient quotient = (h, d, r) => d[0] = CentralFirst(g, x[k], h, out r[0]);
            StepSearch.Extrapolate(quotient, StepSearch.Scale(x[i]), initialStep, value.AsSpan(i, 1), error.AsSpan(i, 1), x: x[i]);
        }
        return new VectorEstimate(value, error);
    }

    /// <summary>The Jacobian of a vector function at <paramref name="x"/>: entry [i, j] is ∂fᵢ/∂xⱼ (rows are outputs, columns inputs).</summary>
    /// <param name="f">The function; it must return the same number of finite values at every call, and not keep the array it is given.</param>
    /// <param name="x">The point, non-empty and finite; it is not modified.</param>
    /// <param name="initialStep">The largest step to start from in every coordinate; leave it out to try several from each coordinate's scale.</param>
    /// <returns>The m×n Jacobian for m outputs and n inputs, with error estimates.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="f"/> or <paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty or has a non-finite entry, f(x) is null, empty or not finite,
    /// or f returns a different number of values at a nearby point.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialStep"/> is not positive and finite.</exception>
    public static MatrixEstimate Jacobian(Func<double[], double[]> f, double[] x, double? initialStep = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        CheckVector(x, nameof(Jacobian));
        CheckStep(initialStep, nameof(Jacobian));
        var point = new PointBuffer(x);
        double[] fx = f(point.At()) ?? throw new ArgumentException("NumericDiff.Jacobian: f(x) returned null.", nameof(f));
        if (fx.Length == 0)
            throw new ArgumentException("NumericDiff.Jacobian: f(x) returned no values; the Jacobian needs at least one output.", nameof(f));
        for (int i = 0; i < fx.Length; i++)
        {
            if (!double.IsFinite(fx[i]))
                throw new ArgumentException(Invariant($"NumericDiff.Jacobian: output {i} of f(x) is {fx[i]}; f must be finite at the point."), nameof(f));
        }

        int m = fx.Length, n = x.Length;
        var value = new double[m, n];
        var error = new double[m, n];
        var columnValue = new double[m];
        var columnError = new double[m];
        for (int j = 0; j < n; j++)
        {
            int k = j;
            RiddersExtrapolation.DifferenceQuotient quotient = (h, d, r) =>
            {
                double step = ExactStep(x[k], h);
                double[] plus = (double[])Outputs(f, point.At(k, x[k] + step), m).Clone();
                double[] minus = Outputs(f, point.At(k, x[k] - step), m);
                for (int i = 0; i < m; i++)
                {
                    d[i] = (plus[i] - minus[i]) / (2 * step);
                    r[i] = Epsilon * (Math.Abs(plus[i]) + Math.Abs(minus[i])) / (2 * step);
                }
            };
            StepSearch.Extrapolate(quotient, StepSearch.Scale(x[j]), initialStep, columnValue, columnError, x: x[j]);
            for (int i = 0; i < m; i++) (value[i, j], error[i, j]) = (columnValue[i], columnError[i]);
        }
        return new MatrixEstimate(value, error);
    }

    /// <summary>The Hessian of a scalar function at <paramref name="x"/>: entry [i, j] is ∂²f/∂xᵢ∂xⱼ, symmetric.</summary>
    /// <param name="f">The function; it must be finite at <paramref name="x"/>, and not keep the array it is given.</param>
    /// <param name="x">The point, non-empty and finite; it is not modified.</param>
    /// <param name="initialStep">The largest step to start from in every coordinate; leave it out to try several from each coordinate's scale.</param>
    /// <returns>The n×n Hessian with error estimates. The diagonal extrapolates the second central difference; each
    /// mixed partial extrapolates the four-point stencil [f(x + hᵢ + hⱼ) − f(x + hᵢ − hⱼ) − f(x − hᵢ + hⱼ) + f(x − hᵢ − hⱼ)] / 4hᵢhⱼ,
    /// which is symmetric in i and j by construction, so it is computed once per pair.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="f"/> or <paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty or has a non-finite entry, or f(x) is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialStep"/> is not positive and finite.</exception>
    public static MatrixEstimate Hessian(Func<double[], double> f, double[] x, double? initialStep = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        CheckVector(x, nameof(Hessian));
        CheckStep(initialStep, nameof(Hessian));
        var point = new PointBuffer(x);
        double fx = CheckFinite(f(point.At()), x, nameof(Hessian));

        int n = x.Length;
        var value = new double[n, n];
        var error = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            int k = i;
            double g(double t) => f(point.At(k, t));
            RiddersExtrapolation.DifferenceQuotient diagonal = (h, d, r) => d[0] = CentralSecond(g, x[k], fx, h, out r[0]);
            StepSearch.Extrapolate(diagonal, StepSearch.Scale(x[i]), initialStep, Cell(value, i, i), Cell(error, i, i), x: x[i]);

            for (int j = 0; j < i; j++)
            {
                int l = j;
                // One step parameter t for both coordinates (hᵢ = t·scaleᵢ) keeps the stencil's error a series in t².
                double si = initialStep is null ? StepSearch.Scale(x[k]) : 1, sj = initialStep is null ? StepSearch.Scale(x[l]) : 1;
                RiddersExtrapolation.DifferenceQuotient mixed = (t, d, r) =>
                {
                    double hi = ExactStep(x[k], t * si), hj = ExactStep(x[l], t * sj);
                    double pp = f(point.At(k, x[k] + hi, l, x[l] + hj)), pm = f(point.At(k, x[k] + hi, l, x[l] - hj));
                    double mp = f(point.At(k, x[k] - hi, l, x[l] + hj)), mm = f(point.At(k, x[k] - hi, l, x[l] - hj));
                    d[0] = (pp - pm - mp + mm) / (4 * hi * hj);
                    r[0] = Epsilon * (Math.Abs(pp) + Math.Abs(pm) + Math.Abs(mp) + Math.Abs(mm)) / Math.Abs(4 * hi * hj);
                };
                StepSearch.Extrapolate(mixed, 1, initialStep, Cell(value, i, j), Cell(error, i, j));
                (value[j, i], error[j, i]) = (value[i, j], error[i, j]);
            }
        }
        return new MatrixEstimate(value, error);
    }

    /// <summary>(f(x + h) − f(x − h)) / 2h with h rounded so that x ± h are exact: the quotient then divides by the step really taken.</summary>
    private static double CentralFirst(Func<double, double> f, double x, double h, out double roundOff)
    {
        h = ExactStep(x, h);
        double plus = f(x + h), minus = f(x - h);
        roundOff = Epsilon * (Math.Abs(plus) + Math.Abs(minus)) / (2 * h);
        return (plus - minus) / (2 * h);
    }

    /// <summary>(f(x + h) − 2f(x) + f(x − h)) / h², with the same exact step.</summary>
    private static double CentralSecond(Func<double, double> f, double x, double fx, double h, out double roundOff)
    {
        h = ExactStep(x, h);
        double plus = f(x + h), minus = f(x - h);
        roundOff = Epsilon * (Math.Abs(plus) + 2 * Math.Abs(fx) + Math.Abs(minus)) / (h * h);
        return (plus - 2 * fx + minus) / (h * h);
    }

    private static double ExactStep(double x, double h) => (x + h) - x;

    private static Span<double> Cell(double[,] matrix, int i, int j) =>
        System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref matrix[i, j], 1);

    private static double[] Outputs(Func<double[], double[]> f, double[] at, int m)
    {
        double[] y = f(at);
        if (y is null || y.Length != m)
            throw new ArgumentException(Invariant($"NumericDiff.Jacobian: f returned {(y is null ? "null" : y.Length + " values")} at a point near x, but {m} values at x; f must always return the same number of values."), nameof(f));
        return y;
    }

    private static void CheckPoint(double x, string name, string method)
    {
        if (!double.IsFinite(x))
            throw new ArgumentOutOfRangeException(name, x, Invariant($"NumericDiff.{method}: the point {name} must be finite, got {x}."));
    }

    private static void CheckVector(double[] x, string method)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Length == 0)
            throw new ArgumentException($"NumericDiff.{method}: the point x is empty; it needs at least one coordinate.", nameof(x));
        for (int i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(x[i]))
                throw new ArgumentException(Invariant($"NumericDiff.{method}: x[{i}] is {x[i]}; every coordinate of the point must be finite."), nameof(x));
        }
    }

    private static void CheckStep(double? initialStep, string method)
    {
        if (initialStep is double h && !(h > 0 && double.IsFinite(h)))
            throw new ArgumentOutOfRangeException(nameof(initialStep), h, Invariant($"NumericDiff.{method}: initialStep must be positive and finite, got {h}."));
    }

    private static double CheckFinite(double fx, double x, string method) =>
        double.IsFinite(fx) ? fx
        : throw new ArgumentException(Invariant($"NumericDiff.{method}: f({x}) is {fx}; f must be finite at the point."), "f");

    private static double CheckFinite(double fx, double[] x, string method) =>
        double.IsFinite(fx) ? fx
        : throw new ArgumentException(Invariant($"NumericDiff.{method}: f(x) is {fx} at x = [{string.Join(", ", x)}]; f must be finite at the point."), "f");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
