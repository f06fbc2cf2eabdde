namespace Nabla.Tests.Tensors;

public sealed class GeneratorDistributionsTests
{
    /// <summary>
    /// Gamma(k, 1) has mean k and variance k. With n draws the sample mean's standard error is
    /// √(k/n) and the sample variance's about k·√((2 + 6/k)/n) (the excess kurtosis is 6/k), so
    /// five of those leave a correct sampler failing once in millions of runs while a wrong
    /// transformation (shape − 1/3 off, U^(1/k) left out below 1) misses by many.
    /// </summary>
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(2.5)]
    [InlineData(9.0)]
    public void NextGamma_HasMeanAndVarianceEqualToItsShape(double shape)
    {
        const int n = 200_000;
        var generator = new Generator(7);
        var draws = new double[n];
        for (int i = 0; i < n; i++) draws[i] = generator.NextGamma(shape);
        double mean = draws.Average();
        double variance = draws.Sum(d => (d - mean) * (d - mean)) / (n - 1);
        Assert.All(draws, d => Assert.True(d >= 0 && double.IsFinite(d)));
        Assert.InRange(mean, shape - 5 * Math.Sqrt(shape / n), shape + 5 * Math.Sqrt(shape / n));
        double varianceError = shape * Math.Sqrt((2 + 6 / shape) / n);
        Assert.InRange(variance, shape - 5 * varianceError, shape + 5 * varianceError);
    }

    /// <summary>
    /// A symmetric Dirichlet(α) over K components has component means 1/K and variances
    /// (1/K)(1 − 1/K)/(Kα + 1); each draw sums to 1. α = 0.01 would underflow a plain ratio of Gamma draws.
    /// </summary>
    [Theory]
    [InlineData(0.01)]
    [InlineData(0.5)]
    [InlineData(5.0)]
    public void NextDirichlet_SumsToOne_WithTheKnownMeanAndVariance(double alpha)
    {
        const int n = 50_000, k = 4;
        var generator = new Generator(3);
        var proportions = new double[k];
        var sum = new double[k];
        var sumOfSquares = new double[k];
        for (int i = 0; i < n; i++)
        {
            generator.NextDirichlet(alpha, proportions);
            Assert.Equal(1.0, proportions.Sum(), 12);
            for (int j = 0; j < k; j++) { sum[j] += proportions[j]; sumOfSquares[j] += proportions[j] * proportions[j]; }
        }
        double expectedVariance = (1.0 / k) * (1 - 1.0 / k) / (k * alpha + 1);
        for (int j = 0; j < k; j++)
        {
            double mean = sum[j] / n, variance = sumOfSquares[j] / n - mean * mean;
            Assert.InRange(mean, 1.0 / k - 5 * Math.Sqrt(expectedVariance / n), 1.0 / k + 5 * Math.Sqrt(expectedVariance / n));
            Assert.InRange(variance, expectedVariance * 0.95, expectedVariance * 1.05);
        }
    }

    [Fact]
    public void BadShapes_AreRefused_NamingTheValue()
    {
        var generator = new Generator(1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => generator.NextGamma(0));
        Assert.Contains("got 0", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => generator.NextDirichlet(double.NaN, new double[3]));
        Assert.Throws<ArgumentException>(() => generator.NextDirichlet(1, Span<double>.Empty));
    }
}
