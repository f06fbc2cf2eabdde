using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>
/// Dropout's behaviour as a distribution rather than bit-equality with PyTorch (the random streams
/// differ): the share of zeros, the scaling of the rest, the gradient mask, seeding and modes.
/// </summary>
public sealed class DropoutTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.8)]
    public void Training_ZeroesAShareP_AndScalesTheRestByOneOverOneMinusP(double p)
    {
        const int n = 100_000;
        var layer = new Dropout(p, new Generator(1));
        var x = Tensor.Ones([n], DType.Float64).RequiresGradient();

        var y = layer.Forward(x);
        y.Backward(Tensor.Full([n], 3.0, DType.Float64));

        var values = y.ToArray<double>();
        int zeros = values.Count(v => v == 0);
        double sigma = Math.Sqrt(n * p * (1 - p));
        Assert.InRange(zeros, n * p - 5 * sigma, n * p + 5 * sigma);
        Assert.All(values, v => Assert.True(v == 0 || v == 1 / (1 - p), $"{v} is neither 0 nor 1/(1 - p)"));
        Assert.Equal(1, values.Average(), 5 * sigma / n / (1 - p));
        // The gradient goes through the same mask: 3·mask.
        Assert.Equal(values.Select(v => 3 * v), x.Grad!.ToArray<double>());
    }

    [Fact]
    public void SameGeneratorState_GivesTheSameMask_AndSuccessiveCallsDiffer()
    {
        var x = Tensor.Ones(1000);
        var a = new Dropout(0.3, new Generator(7));
        var b = new Dropout(0.3, new Generator(7));

        var first = a.Forward(x).ToArray<float>();
        Assert.Equal(first, b.Forward(x).ToArray<float>());
        Assert.NotEqual(first, a.Forward(x).ToArray<float>());
    }

    [Fact]
    public void Evaluation_AndPZero_PassTheInputThrough_AndPOneGivesZeros()
    {
        var x = Tensor.Randn([4, 5], new Generator(8));
        var layer = new Dropout(0.9, new Generator(9));
        layer.Eval();
        Assert.Same(x, layer.Forward(x));
        Assert.Same(x, new Dropout(0, new Generator(10)).Forward(x));
        Assert.All(new Dropout(1, new Generator(11)).Forward(x).ToArray<float>(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Gradient_PassesGradCheck_WithAFixedMask()
    {
        var x = Tensor.Randn([3, 4], new Generator(12), DType.Float64).RequiresGradient();

        // A fresh generator per call gives the same mask each time, as the check needs.
        GradCheck.Assert(t => new Dropout(0.4, new Generator(13)).Forward(t[0]), [x]);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void BadProbability_IsRejected(double p)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(p));
        Assert.Contains($"Dropout: the probability p must be in [0, 1], got {p}", e.Message);
    }
}
