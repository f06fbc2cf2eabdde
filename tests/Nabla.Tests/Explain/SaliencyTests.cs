using Nabla.Explain;

namespace Nabla.Tests.Explain;

public class SaliencyTests
{
    private static readonly Tensor Rows = Tensor.FromArray(new double[,] { { 1.5, -2, 0.5 }, { -0.25, 3, -1 } });

    // F(x) = Σ xᵢ², so ∂F/∂xᵢ = 2xᵢ.
    private static Tensor SumOfSquares(Tensor x) => (x * x).Sum(axis: 1);

    // Two outputs, x₀x₁ and sin x₂: the gradient of the second is (0, 0, cos x₂).
    private static Tensor TwoOutputs(Tensor x) =>
        Tensor.Concat([(x.Slice(1, 0, 1) * x.Slice(1, 1, 1)), x.Slice(1, 2, 1).Sin()], axis: 1);

    [Fact]
    public void Saliency_IsTheGradientOrItsMagnitude()
    {
        var signed = Saliency.Compute(SumOfSquares, Rows, absolute: false);
        var magnitude = Saliency.Compute(SumOfSquares, Rows);
        for (int r = 0; r < 2; r++)
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(2 * Rows[r, i], signed[r, i], 1e-15);
                Assert.Equal(Math.Abs(2 * Rows[r, i]), magnitude[r, i], 1e-15);
            }
    }

    [Fact]
    public void Saliency_OfATargetOutput_DifferentiatesThatOutputOnly()
    {
        var gradient = Saliency.Compute(TwoOutputs, Rows, target: 1, absolute: false);
        for (int r = 0; r < 2; r++)
        {
            Assert.Equal(0, gradient[r, 0]);
            Assert.Equal(0, gradient[r, 1]);
            Assert.Equal(Math.Cos(Rows[r, 2]), gradient[r, 2], 1e-15);
        }
        var error = Assert.Throws<ArgumentException>(() => Saliency.Compute(TwoOutputs, Rows));
        Assert.Contains("2 outputs per row", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Saliency.Compute(TwoOutputs, Rows, target: 2));
    }

    [Fact]
    public void SmoothGrad_OfALinearModel_IsItsWeightsWhateverTheNoise()
    {
        var weights = Tensor.FromArray(new[] { 0.5, -3, 2 }, 3, 1);
        var result = SmoothGrad.Compute(x => x.MatMul(weights), Rows, new Generator(1), samples: 7, noiseLevel: 0.5);
        for (int r = 0; r < 2; r++)
            for (int i = 0; i < 3; i++) Assert.Equal(weights[i, 0], result[r, i], 1e-15);
    }

    /// <summary>For Σ xᵢ² the mean gradient is 2x + 2·(mean noise): the test draws the same noise itself, in the documented order.</summary>
    [Fact]
    public void SmoothGrad_OfSumOfSquares_IsTwiceTheMeanNoisyInput()
    {
        const int samples = 5;
        const double level = 0.2;
        var result = SmoothGrad.Compute(SumOfSquares, Rows, new Generator(3), samples: samples, noiseLevel: level);
        var noise = new Generator(3);
        for (int r = 0; r < 2; r++)
        {
            double sigma = level * (Enumerable.Range(0, 3).Max(i => Rows[r, i]) - Enumerable.Range(0, 3).Min(i => Rows[r, i]));
            var mean = new double[3];
            for (int k = 0; k < samples; k++)
                for (int i = 0; i < 3; i++) mean[i] += 2 * (Rows[r, i] + sigma * noise.NextNormal()) / samples;
            for (int i = 0; i < 3; i++) Assert.Equal(mean[i], result[r, i], 1e-14);
        }
        var absolute = SmoothGrad.Compute(SumOfSquares, Rows, new Generator(3), samples: samples, noiseLevel: 0, absolute: true);
        for (int i = 0; i < 3; i++) Assert.Equal(Math.Abs(2 * Rows[1, i]), absolute[1, i], 1e-15);
    }
}
