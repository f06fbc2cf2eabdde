using Nabla.Losses;

namespace Nabla.Tests.Losses;

/// <summary>
/// MseLoss's scikit-learn MLP form (halfPerSample): the value scikit-learn reports, ½·mean((x − y)²)
/// over every value, and the gradient its back-propagation uses, (x − y)/N for N samples.
/// </summary>
public class MseLossTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void HalfPerSample_ReportsHalfTheMean_AndDescendsTheErrorsOverTheSampleCount(int outputs)
    {
        const int Samples = 5;
        var generator = new Generator(2);
        var x = Tensor.Randn([Samples, outputs], generator, DType.Float64).RequiresGradient();
        var y = Tensor.Randn([Samples, outputs], generator, DType.Float64);
        var loss = new MseLoss(halfPerSample: true).Forward(x, y);
        loss.Backward();

        var (xs, ys) = (x.ToDoubleArray(), y.ToDoubleArray());
        double squares = xs.Zip(ys).Sum(p => (p.First - p.Second) * (p.First - p.Second));
        Assert.Equal(squares / (Samples * outputs) / 2, loss.Item(), 14);
        var gradient = x.Grad!.ToDoubleArray();
        for (int i = 0; i < xs.Length; i++) Assert.Equal((xs[i] - ys[i]) / Samples, gradient[i], 14);
    }

    [Fact]
    public void HalfPerSample_IsAMean()
    {
        var error = Assert.Throws<ArgumentException>(() => new MseLoss(Reduction.Sum, halfPerSample: true));
        Assert.Equal("halfPerSample", error.ParamName);
    }
}
