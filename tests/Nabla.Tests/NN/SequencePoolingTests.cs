using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>
/// SequencePooling: hand-computed values and gradients of each mode over the valid steps only,
/// padding that never changes a bit, the vector max against a scalar reference at every width around
/// the vector sizes, gradient checks, and the messages for bad input.
/// </summary>
public sealed class SequencePoolingTests
{
    // Two sequences of 3 steps and 2 features; the second has 1 valid step, its padding is large on purpose.
    private static Tensor Sample() => Tensor.FromArray([
        1.0, 6.0, 4.0, -2.0, 4.0, 5.0,
        -1.0, -3.0, 100.0, 100.0, 100.0, 100.0], 2, 3, 2);

    [Fact]
    public void Mean_DividesTheSumOfTheValidStepsByTheLength_AndSpreadsTheGradientOverThem()
    {
        var x = Sample().RequiresGradient();

        var y = SequencePooling.Pool(x, [3, 1], SequencePoolingMode.Mean);
        (y * Tensor.FromArray([3.0, 6.0, 1.0, 2.0], 2, 2)).Sum().Backward();

        Assert.Equal([3.0, 3.0, -1.0, -3.0], y.ToArray<double>());
        Assert.Equal([1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 0.0, 0.0, 0.0, 0.0], x.Grad!.ToArray<double>());
    }

    [Fact]
    public void Max_TakesTheFirstLargestValidValue_AndSendsTheGradientThere()
    {
        // Feature 1 of sequence 0 ties at steps 1 and 2 (5 and 5): the first one wins, as in PyTorch.
        var x = Tensor.FromArray([1.0, 3.0, 4.0, 5.0, 2.0, 5.0, -1.0, -3.0, 100.0, 100.0, 100.0, 100.0], 2, 3, 2).RequiresGradient();

        var y = SequencePooling.Pool(x, [3, 1], SequencePoolingMode.Max);
        (y * Tensor.FromArray([3.0, 6.0, 1.0, 2.0], 2, 2)).Sum().Backward();

        Assert.Equal([4.0, 5.0, -1.0, -3.0], y.ToArray<double>());
        Assert.Equal([0.0, 0.0, 3.0, 6.0, 0.0, 0.0, 1.0, 2.0, 0.0, 0.0, 0.0, 0.0], x.Grad!.ToArray<double>());
        Assert.Equal("SequenceMax", y.GradFnName);
    }

    [Fact]
    public void Last_TakesEachSequencesLastValidStep()
    {
        var x = Sample().RequiresGradient();

        var y = SequencePooling.Pool(x, [3, 1], SequencePoolingMode.Last);
        (y * Tensor.FromArray([3.0, 6.0, 1.0, 2.0], 2, 2)).Sum().Backward();

        Assert.Equal([4.0, 5.0, -1.0, -3.0], y.ToArray<double>());
        Assert.Equal([0.0, 0.0, 0.0, 0.0, 3.0, 6.0, 1.0, 2.0, 0.0, 0.0, 0.0, 0.0], x.Grad!.ToArray<double>());
    }

    [Theory]
    [InlineData(SequencePoolingMode.Mean)]
    [InlineData(SequencePoolingMode.Max)]
    [InlineData(SequencePoolingMode.Last)]
    public void NullLengths_MeanEveryStepIsValid(SequencePoolingMode mode)
    {
        var x = Tensor.Randn([3, 4, 5], new Generator(1), DType.Float64);

        Assert.Equal(SequencePooling.Pool(x, [4, 4, 4], mode).ToArray<double>(), SequencePooling.Pool(x, null, mode).ToArray<double>());
    }

    [Theory]
    [InlineData(SequencePoolingMode.Mean)]
    [InlineData(SequencePoolingMode.Max)]
    [InlineData(SequencePoolingMode.Last)]
    public void Padding_NeverChangesAValueOrAGradient(SequencePoolingMode mode)
    {
        // The same three sequences (lengths 7, 2, 10) padded to 10 and to 100 steps with different noise.
        int[] lengths = [7, 2, 10];
        var valid = Tensor.Randn([3, 10, 33], new Generator(2));
        var tenSteps = Padded(valid, lengths, 10, new Generator(3));
        var hundredSteps = Padded(valid, lengths, 100, new Generator(4));
        var g = Tensor.Randn([3, 33], new Generator(5));

        var a = SequencePooling.Pool(tenSteps, lengths, mode);
        var b = SequencePooling.Pool(hundredSteps, lengths, mode);
        (a * g).Sum().Backward();
        (b * g).Sum().Backward();

        Assert.Equal(a.ToArray<float>(), b.ToArray<float>());
        Assert.Equal(tenSteps.Grad!.ToArray<float>(), hundredSteps.Grad!.Slice(1, 0, 10).ToArray<float>());
        Assert.All(hundredSteps.Grad!.Slice(1, 10, 90).ToArray<float>(), v => Assert.Equal(0f, v));
    }

    /// <summary>The valid steps of <paramref name="valid"/> (N, 10, F), with random values after them up to <paramref name="steps"/>.</summary>
    private static Tensor Padded(Tensor valid, int[] lengths, int steps, Generator noise)
    {
        int features = valid.ShapeArray[2];
        var x = Tensor.Randn([lengths.Length, steps, features], noise).ToArray<float>();
        var source = valid.ToArray<float>();
        for (int n = 0; n < lengths.Length; n++)
            Array.Copy(source, n * 10 * features, x, n * steps * features, lengths[n] * features);
        return Tensor.FromArray(x, lengths.Length, steps, features).RequiresGradient();
    }

    [Fact]
    public void Max_MatchesAScalarReference_AtEveryWidthAroundTheVectorSizes_WithTiesAndNaN()
    {
        var random = new Random(6);
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
            for (int features = 1; features <= 37; features++)
            {
                int batch = 3, steps = 9;
                int[] lengths = [9, 4, 1];
                // Few distinct values, so ties are common; a NaN in a few places.
                var values = new double[batch * steps * features];
                for (int i = 0; i < values.Length; i++) values[i] = random.Next(5) - 2;
                for (int k = 0; k < 3; k++) values[random.Next(values.Length)] = double.NaN;
                var x = (dtype == DType.Float32 ? Tensor.FromArray(values.Select(v => (float)v).ToArray(), batch, steps, features)
                    : Tensor.FromArray(values, batch, steps, features)).RequiresGradient();

                var y = SequencePooling.Pool(x, lengths, SequencePoolingMode.Max);
                y.Sum().Backward();

                var (expected, at) = ScalarMax(values, lengths, steps, features);
                var grad = x.Grad!.To(DType.Float64).ToArray<double>();
                Assert.Equal(expected, y.To(DType.Float64).ToArray<double>());
                for (int n = 0; n < batch; n++)
                    for (int f = 0; f < features; f++)
                        for (int t = 0; t < steps; t++)
                            Assert.Equal(t == at[n * features + f] ? 1.0 : 0.0, grad[(n * steps + t) * features + f]);
            }
    }

    /// <summary>The plain definition: for each feature, the first step whose value is larger than all before it, or the first NaN.</summary>
    private static (double[] Values, int[] Steps) ScalarMax(double[] x, int[] lengths, int steps, int features)
    {
        var best = new double[lengths.Length * features];
        var at = new int[best.Length];
        for (int n = 0; n < lengths.Length; n++)
            for (int f = 0; f < features; f++)
            {
                int k = n * features + f;
                best[k] = x[n * steps * features + f];
                for (int t = 1; t < lengths[n]; t++)
                {
                    double v = x[(n * steps + t) * features + f];
                    if (double.IsNaN(best[k])) break;
                    if (double.IsNaN(v) || v > best[k]) (best[k], at[k]) = (v, t);
                }
            }
        return (best, at);
    }

    [Theory]
    [InlineData(SequencePoolingMode.Mean)]
    [InlineData(SequencePoolingMode.Max)]
    [InlineData(SequencePoolingMode.Last)]
    public void EveryMode_PassesGradCheck_AndGradGradCheck(SequencePoolingMode mode)
    {
        var x = Tensor.Randn([3, 4, 5], new Generator(7), DType.Float64).RequiresGradient();
        int[] lengths = [4, 1, 3];

        GradCheck.Assert(t => SequencePooling.Pool(t[0], lengths, mode), [x]);
        GradGradCheck.Assert(t => SequencePooling.Pool(t[0], lengths, mode).Pow(3), [x]);
    }

    [Fact]
    public void BadInput_IsRefusedWithTheShapeOrTheLength()
    {
        var x = Tensor.Zeros(2, 3, 4);

        Assert.Contains("input of shape [3, 4] must be (N, L, F)",
            Assert.Throws<ShapeMismatchException>(() => SequencePooling.Pool(Tensor.Zeros(3, 4), null, SequencePoolingMode.Mean)).Message);
        Assert.Contains("lengths has 3 entries but the input (shape [2, 3, 4]) holds 2 sequences",
            Assert.Throws<ArgumentException>(() => SequencePooling.Pool(x, [1, 2, 3], SequencePoolingMode.Mean)).Message);
        Assert.Contains("lengths[1] = 0 is outside 1..3",
            Assert.Throws<ArgumentOutOfRangeException>(() => SequencePooling.Pool(x, [1, 0], SequencePoolingMode.Max)).Message);
        Assert.Contains("lengths[0] = 4 is outside 1..3",
            Assert.Throws<ArgumentOutOfRangeException>(() => SequencePooling.Pool(x, [4, 1], SequencePoolingMode.Last)).Message);
        Assert.Throws<ArgumentException>(() => SequencePooling.Pool(Tensor.FromArray([1, 2], 1, 2, 1), null, SequencePoolingMode.Mean));
        Assert.Throws<ArgumentOutOfRangeException>(() => SequencePooling.Pool(x, null, (SequencePoolingMode)7));
    }
}
