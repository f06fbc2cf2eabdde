using System.Globalization;

namespace Nabla.Calculus;

/// <summary>Monte Carlo estimates of expectations, reproducible from a seed.</summary>
public static class MonteCarlo
{
    /// <summary>
    /// E[f(X)] estimated by the mean of f over <paramref name="samples"/> draws of X, each drawn by
    /// <paramref name="sampler"/> from one <see cref="Generator"/> seeded with <paramref name="seed"/>,
    /// so the same seed gives the same estimate. The standard error shrinks as 1/√samples.
    /// </summary>
    /// <param name="sampler">Draws one X from the generator, e.g. <c>g =&gt; g.NextNormal()</c> or <c>g =&gt; 2 * g.NextDouble()</c>.</param>
    /// <param name="f">The function whose expectation is wanted.</param>
    /// <param name="samples">How many draws, at least 2 (one is needed for the mean, two for its standard error).</param>
    /// <param name="seed">The generator's seed.</param>
    /// <returns>The sample mean and its standard error (sample standard deviation / √samples).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sampler"/> or <paramref name="f"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samples"/> is less than 2.</exception>
    /// <exception cref="ArgumentException">f(X) is NaN or ±∞ for some draw (the message gives X and the draw's number).</exception>
    /// <example>
    /// <code>
    /// var r = MonteCarlo.Expectation(g => g.NextNormal(), x => x * x, 100_000, seed: 42);   // ≈ 1 ± 0.0045
    /// </code>
    /// </example>
    public static MonteCarloResult Expectation(Func<Generator, double> sampler, Func<double, double> f, int samples, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(f);
        if (samples < 2)
            throw new ArgumentOutOfRangeException(nameof(samples), samples, $"samples must be at least 2 (two draws are the fewest with a standard error), not {samples}.");

        var generator = new Generator(seed);
        // Welford's running mean and sum of squared deviations: no cancellation when the mean is large.
        double mean = 0, squares = 0;
        // The raw second moment and its largest term, for LargestShare: one draw that carries much of
        // Σ f² is the mark of an integrand whose variance is infinite.
        double secondMoment = 0, largestSquare = -1, largestAt = double.NaN;
        for (int i = 1; i <= samples; i++)
        {
            double x = sampler(generator);
            double value = f(x);
            if (!double.IsFinite(value))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"f is {value} at x = {x:R} (draw {i} of {samples}, seed {seed}); the expectation needs finite values."), nameof(f));
            double delta = value - mean;
            mean += delta / i;
            squares += delta * (value - mean);
            double square = value * value;
            secondMoment += square;
            if (square > largestSquare) (largestSquare, largestAt) = (square, x);
        }
        double variance = squares / (samples - 1);
        // Σ f² overflows only when single terms are huge, which is what the share measures.
        double share = secondMoment == 0 ? 0 : double.IsFinite(secondMoment) ? largestSquare / secondMoment : 1;
        return new MonteCarloResult(mean, Math.Sqrt(variance / samples), samples) { LargestShare = share, LargestAt = largestAt };
    }

    /// <summary>
    /// ∫ₐᵇ f(x) dx estimated as (b − a)·E[f(U)] with U uniform on [a, b]: the mean of f over
    /// <paramref name="samples"/> uniform draws from a <see cref="Generator"/> seeded with
    /// <paramref name="seed"/>, times the interval's length. The standard error is |b − a| times
    /// that of the mean, so it shrinks as 1/√samples whatever the dimension, but slowly: plain
    /// quadrature (<see cref="Integrate.Adaptive"/>) is far more accurate for smooth functions of one variable.
    /// </summary>
    /// <param name="f">The integrand.</param>
    /// <param name="a">The lower bound, finite.</param>
    /// <param name="b">The upper bound, finite; b &lt; a gives the negated integral from b to a.</param>
    /// <param name="samples">How many draws, at least 2.</param>
    /// <param name="seed">The generator's seed.</param>
    /// <returns>The estimate of the integral and its standard error.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="f"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samples"/> is less than 2.</exception>
    /// <exception cref="ArgumentException">b − a is not finite, or f is NaN or ±∞ at some draw (the message gives x).</exception>
    /// <example>
    /// <code>
    /// var r = MonteCarlo.Integral(x => x * x, 0, 1, 1_000_000, seed: 0);   // ≈ 1/3 ± 0.0003
    /// </code>
    /// </example>
    public static MonteCarloResult Integral(Func<double, double> f, double a, double b, int samples, ulong seed)
    {
        // b − a is infinite or NaN when a bound is, and when two finite bounds are too far apart for a double.
        double width = b - a;
        if (!double.IsFinite(width))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"uniform sampling needs a finite interval, got [{a:R}, {b:R}]; integrate over an infinite range with Integrate.Adaptive, or write the integral as an expectation under a distribution that covers it."));
        var mean = Expectation(g => a + width * g.NextDouble(), f, samples, seed);
        return mean with { Value = width * mean.Value, StandardError = Math.Abs(width) * mean.StandardError };
    }
}
