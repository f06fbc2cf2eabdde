namespace Nabla;

/// <summary>
/// Draws from the Gamma and Dirichlet distributions with a <see cref="Generator"/>, so that a seed
/// fixes them as it fixes the uniform and normal draws (the Dirichlet label skew of federated
/// partitions uses them).
/// </summary>
public static class GeneratorDistributions
{
    /// <summary>
    /// A draw from Gamma(<paramref name="shape"/>, 1): mean and variance both equal <paramref name="shape"/>.
    /// Marsaglia and Tsang's method (2000) for shape ≥ 1; below 1, Gamma(shape + 1)·U^(1/shape).
    /// </summary>
    /// <param name="generator">The source of randomness.</param>
    /// <param name="shape">The shape k &gt; 0 (finite).</param>
    /// <returns>A positive number; for a very small shape (below about 0.01) it may underflow to 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shape"/> is not positive and finite.</exception>
    public static double NextGamma(this Generator generator, double shape)
    {
        ArgumentNullException.ThrowIfNull(generator);
        CheckShape(shape, nameof(shape), "NextGamma: the shape");
        return Math.Exp(NextLogGamma(generator, shape));
    }

    /// <summary>
    /// Fills <paramref name="proportions"/> with a draw from the symmetric Dirichlet(<paramref name="alpha"/>, …, <paramref name="alpha"/>):
    /// non-negative values that sum to 1; the smaller alpha, the more the mass gathers on a few of them.
    /// </summary>
    /// <param name="generator">The source of randomness.</param>
    /// <param name="alpha">The concentration α &gt; 0 (finite), the same for every component.</param>
    /// <param name="proportions">Where the draw goes; its length is the number of components (at least 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not positive and finite.</exception>
    /// <exception cref="ArgumentException"><paramref name="proportions"/> is empty.</exception>
    /// <remarks>
    /// Each component is a Gamma(α) draw divided by their sum. The draws are kept as logarithms and
    /// the largest is subtracted before exponentiating, because for α = 0.1 the Gamma draws can be
    /// as small as 1e-300 or less and would otherwise underflow to a sum of 0.
    /// </remarks>
    public static void NextDirichlet(this Generator generator, double alpha, Span<double> proportions)
    {
        ArgumentNullException.ThrowIfNull(generator);
        CheckShape(alpha, nameof(alpha), "NextDirichlet: alpha");
        if (proportions.IsEmpty)
            throw new ArgumentException("NextDirichlet: the proportions span is empty; it needs one element per component.", nameof(proportions));
        double largest = double.NegativeInfinity;
        for (int i = 0; i < proportions.Length; i++)
        {
            proportions[i] = NextLogGamma(generator, alpha);
            largest = Math.Max(largest, proportions[i]);
        }
        double sum = 0;
        for (int i = 0; i < proportions.Length; i++) sum += proportions[i] = Math.Exp(proportions[i] - largest);
        for (int i = 0; i < proportions.Length; i++) proportions[i] /= sum;
    }

    private static void CheckShape(double value, string paramName, string what)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(paramName, value, $"{what} must be positive and finite, got {value}.");
    }

    /// <summary>The logarithm of a Gamma(<paramref name="shape"/>, 1) draw, finite even where the draw itself underflows.</summary>
    private static double NextLogGamma(Generator generator, double shape)
    {
        if (shape < 1)
        {
            // Gamma(k) = Gamma(k + 1)·U^(1/k) (Marsaglia and Tsang, section 6); U in (0, 1] keeps the log finite.
            double u = 1.0 - generator.NextDouble();
            return NextLogGamma(generator, shape + 1) + Math.Log(u) / shape;
        }
        double d = shape - 1.0 / 3.0, c = 1.0 / Math.Sqrt(9.0 * d);
        while (true)
        {
            double x = generator.NextNormal(), v = 1.0 + c * x;
            if (v <= 0) continue;
            v = v * v * v;
            double u = 1.0 - generator.NextDouble();
            double xx = x * x;
            // The cheap squeeze accepts about 98% of draws; the log test decides the rest exactly.
            if (u < 1.0 - 0.0331 * xx * xx || Math.Log(u) < 0.5 * xx + d * (1.0 - v + Math.Log(v)))
                return Math.Log(d * v);
        }
    }
}
