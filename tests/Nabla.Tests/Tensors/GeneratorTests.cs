namespace Nabla.Tests.Tensors;

public class GeneratorTests
{
    private const int Draws = 100_000;

    [Fact]
    public void NextUInt64_IsXoshiro256StarStarSeededBySplitMix64()
    {
        // The reference algorithms (Vigna's xoshiro256** 1.0 and splitmix64.c), run in Python on seed 42.
        var g = new Generator(42);
        Assert.Equal(0x15780b2e0c2ec716UL, g.NextUInt64());
        Assert.Equal(0x6104d9866d113a7eUL, g.NextUInt64());
        Assert.Equal(0xae17533239e499a1UL, g.NextUInt64());
        Assert.Equal(0xecb8ad4703b360a1UL, g.NextUInt64());
        Assert.Equal(0xfde6dc7fe2ec5e64UL, g.NextUInt64());
    }

    [Fact]
    public void SameSeed_GivesTheSameSequence_DifferentSeedsDiffer()
    {
        var a = new Generator(123);
        var b = new Generator(123);
        var c = new Generator(124);
        var seqA = Enumerable.Range(0, 1000).Select(_ => a.NextUInt64()).ToArray();
        var seqB = Enumerable.Range(0, 1000).Select(_ => b.NextUInt64()).ToArray();
        var seqC = Enumerable.Range(0, 1000).Select(_ => c.NextUInt64()).ToArray();
        Assert.Equal(seqA, seqB);
        Assert.Empty(seqA.Intersect(seqC));
    }

    [Fact]
    public void SeedZero_IsAValidSeed()
    {
        var g = new Generator(0);
        Assert.NotEqual(g.NextUInt64(), g.NextUInt64());
        Assert.NotEqual([0UL, 0, 0, 0], new Generator(0).GetState());
    }

    [Fact]
    public void SetState_RestoresTheSequenceFromGetState()
    {
        var g = new Generator(9);
        for (int i = 0; i < 17; i++) g.NextDouble();
        var state = g.GetState();
        var first = new[] { g.NextUInt64(), (ulong)g.NextInt(1000), BitConverter.DoubleToUInt64Bits(g.NextNormal()) };

        g.SetState(state);
        var again = new[] { g.NextUInt64(), (ulong)g.NextInt(1000), BitConverter.DoubleToUInt64Bits(g.NextNormal()) };
        Assert.Equal(first, again);

        var other = new Generator(1);
        other.SetState(state);
        Assert.Equal(first[0], other.NextUInt64());
    }

    [Fact]
    public void GetState_ReturnsACopy()
    {
        var g = new Generator(5);
        var state = g.GetState();
        state[0] ^= 1;
        Assert.NotEqual(state, g.GetState());
    }

    [Fact]
    public void SetState_RejectsWrongLengthAndAllZeros()
    {
        var g = new Generator(5);
        Assert.Throws<ArgumentException>(() => g.SetState([1, 2, 3]));
        Assert.Throws<ArgumentException>(() => g.SetState([0, 0, 0, 0]));
        Assert.Throws<ArgumentNullException>(() => g.SetState(null!));
    }

    [Fact]
    public void NextDouble_IsUniformOnTheHalfOpenUnitInterval()
    {
        var g = new Generator(2024);
        var values = new double[Draws];
        for (int i = 0; i < Draws; i++) values[i] = g.NextDouble();
        Assert.All(values, v => Assert.InRange(v, 0.0, Math.BitDecrement(1.0)));
        var (mean, variance) = Moments(values);
        // Mean 1/2 and variance 1/12; the bounds are about five standard errors.
        Assert.InRange(mean, 0.5 - 0.0046, 0.5 + 0.0046);
        Assert.InRange(variance, 1.0 / 12 - 0.0015, 1.0 / 12 + 0.0015);
        // Each tenth of the interval holds about a tenth of the draws (χ² with 9 degrees of freedom).
        Assert.InRange(ChiSquare(values.Select(v => (int)(v * 10)), 10), 0, 33.7);
    }

    [Fact]
    public void NextSingle_IsUniformOnTheHalfOpenUnitInterval()
    {
        var g = new Generator(77);
        var values = new double[Draws];
        for (int i = 0; i < Draws; i++) values[i] = g.NextSingle();
        Assert.All(values, v => Assert.InRange(v, 0.0, (double)MathF.BitDecrement(1f)));
        var (mean, variance) = Moments(values);
        Assert.InRange(mean, 0.5 - 0.0046, 0.5 + 0.0046);
        Assert.InRange(variance, 1.0 / 12 - 0.0015, 1.0 / 12 + 0.0015);
    }

    [Fact]
    public void NextNormal_HasStandardNormalMoments()
    {
        var g = new Generator(31337);
        var values = new double[Draws];
        for (int i = 0; i < Draws; i++) values[i] = g.NextNormal();
        Assert.All(values, v => Assert.True(double.IsFinite(v)));
        var (mean, variance) = Moments(values);
        double sd = Math.Sqrt(variance);
        double skew = values.Average(v => Math.Pow((v - mean) / sd, 3));
        double kurtosis = values.Average(v => Math.Pow((v - mean) / sd, 4));
        // Standard errors at 100k draws: mean 0.0032, variance 0.0045, skewness 0.0077, kurtosis 0.015.
        Assert.InRange(mean, -0.016, 0.016);
        Assert.InRange(variance, 1 - 0.025, 1 + 0.025);
        Assert.InRange(skew, -0.04, 0.04);
        Assert.InRange(kurtosis, 3 - 0.08, 3 + 0.08);
        // About 68.27% within one standard deviation and 95.45% within two.
        Assert.InRange(values.Count(v => Math.Abs(v) < 1) / (double)Draws, 0.6827 - 0.0075, 0.6827 + 0.0075);
        Assert.InRange(values.Count(v => Math.Abs(v) < 2) / (double)Draws, 0.9545 - 0.0035, 0.9545 + 0.0035);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(1000)]
    public void NextInt_StaysInRange_AndHitsEveryValueEvenly(int maxExclusive)
    {
        var g = new Generator((ulong)maxExclusive);
        var values = new int[Draws];
        for (int i = 0; i < Draws; i++) values[i] = g.NextInt(maxExclusive);
        Assert.All(values, v => Assert.InRange(v, 0, maxExclusive - 1));
        Assert.Equal(maxExclusive, values.Distinct().Count());
        if (maxExclusive > 1)
        {
            // χ² against uniform counts; the bound is the 99.99th percentile for the degrees of freedom.
            double limit = maxExclusive switch { 2 => 15.1, 3 => 18.4, 10 => 33.7, _ => 1180 };
            Assert.InRange(ChiSquare(values, maxExclusive), 0, limit);
        }
    }

    [Fact]
    public void Shuffle_IsAPermutation_EveryOrderEquallyLikely_AndFixedBySeed()
    {
        // The 24 orders of 4 items, counted over many shuffles: χ² with 23 degrees of freedom.
        var g = new Generator(21);
        var orders = new int[Draws];
        for (int d = 0; d < Draws; d++)
        {
            Span<int> items = [0, 1, 2, 3];
            g.Shuffle(items);
            var sorted = items.ToArray();
            Array.Sort(sorted);
            Assert.Equal([0, 1, 2, 3], sorted);
            // The order's rank among the 24 (Lehmer code).
            int rank = 0;
            for (int i = 0; i < 4; i++)
            {
                int smaller = 0;
                for (int j = i + 1; j < 4; j++) if (items[j] < items[i]) smaller++;
                rank = rank * (4 - i) + smaller;
            }
            orders[d] = rank;
        }
        Assert.Equal(24, orders.Distinct().Count());
        Assert.InRange(ChiSquare(orders, 24), 0, 57.1);   // the 99.99th percentile

        string[] a = ["a", "b", "c", "d", "e", "f", "g"], b = [.. a];
        new Generator(5).Shuffle<string>(a);
        new Generator(5).Shuffle<string>(b);
        Assert.Equal(a, b);
        Span<double> none = [], one = [1.5];
        new Generator(5).Shuffle(none);
        new Generator(5).Shuffle(one);
        Assert.Equal(1.5, one[0]);
    }

    [Fact]
    public void NextInt_OverAHugeRange_IsEvenAcrossItsHalvesAndThirds()
    {
        // 3·2²⁹ is not a power of two: a biased reduction would favour its low part.
        const int max = 3 << 29;
        var g = new Generator(8);
        var values = new int[Draws];
        for (int i = 0; i < Draws; i++) values[i] = g.NextInt(max);
        Assert.All(values, v => Assert.InRange(v, 0, max - 1));
        Assert.InRange(ChiSquare(values.Select(v => (int)((long)v * 3 / max)), 3), 0, 18.4);
        Assert.InRange(values.Count(v => v < max / 2) / (double)Draws, 0.5 - 0.008, 0.5 + 0.008);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void NextInt_WithoutPositiveBound_Throws(int maxExclusive)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Generator(1).NextInt(maxExclusive));
    }

    private static (double Mean, double Variance) Moments(double[] values)
    {
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
        return (mean, variance);
    }

    private static double ChiSquare(IEnumerable<int> buckets, int count)
    {
        var observed = new long[count];
        long total = 0;
        foreach (int b in buckets) { observed[b]++; total++; }
        double expected = (double)total / count;
        return observed.Sum(o => (o - expected) * (o - expected) / expected);
    }
}
