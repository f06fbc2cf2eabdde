using Nabla.Estimators;

namespace Nabla.Tests.Estimators;

/// <summary>
/// EmbeddingAdam's step against PyTorch's Adam formula written out in the plain form
/// (m, v, two divisions, a square root every step), over many steps of tables whose gradient is
/// zero in most rows, at lengths that exercise the vector chunks and the scalar tail; and the
/// gradient left zero.
/// </summary>
public sealed class EmbeddingAdamTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(33, 5)]
    [InlineData(600, 32)]
    public void Step_FollowsTorchsFormula_OverManySteps(int rows, int k)
    {
        const double lr = 0.01;
        var g = new Generator((ulong)(rows * 100 + k));
        var values = Enumerable.Range(0, rows * k).Select(_ => g.NextNormal()).ToArray();
        var reference = (double[])values.Clone();
        var gradient = new double[rows * k];
        double[] m = new double[rows * k], v = new double[rows * k];
        var adam = new EmbeddingAdam(lr, (values, gradient));

        for (int step = 1; step <= 300; step++)
        {
            // A few rows get a gradient, as a batch touches them; the rest decay.
            var expected = new double[rows * k];
            for (int touch = 0; touch < 1 + rows / 10; touch++)
            {
                int row = g.NextInt(rows);
                for (int f = 0; f < k; f++) expected[row * k + f] = gradient[row * k + f] = g.NextNormal() * Math.Pow(10, g.NextInt(5) - 4);
            }
            adam.Step();
            double correction1 = 1 - Math.Pow(EmbeddingAdam.Beta1, step), correction2 = 1 - Math.Pow(EmbeddingAdam.Beta2, step);
            for (int n = 0; n < reference.Length; n++)
            {
                m[n] = EmbeddingAdam.Beta1 * m[n] + (1 - EmbeddingAdam.Beta1) * expected[n];
                v[n] = EmbeddingAdam.Beta2 * v[n] + (1 - EmbeddingAdam.Beta2) * expected[n] * expected[n];
                reference[n] -= lr / correction1 * m[n] / (Math.Sqrt(v[n]) / Math.Sqrt(correction2) + EmbeddingAdam.Epsilon);
            }
            Assert.All(gradient, x => Assert.Equal(0, x));
        }

        for (int n = 0; n < values.Length; n++)
            Assert.True(Math.Abs(values[n] - reference[n]) <= 1e-13 * Math.Max(1, Math.Abs(reference[n])), $"value {n}: {values[n]:R}, the formula gives {reference[n]:R}");
    }

    [Fact]
    public void Tables_WithGradientsOfAnotherLength_AreRefused()
    {
        Assert.Contains("table 1 has 4 values but 3 gradient values",
            Assert.Throws<ArgumentException>(() => new EmbeddingAdam(0.1, (new double[2], new double[2]), (new double[4], new double[3]))).Message);
        Assert.Contains("5 values but 5 gradient, 4 m and 5 s values",
            Assert.Throws<ArgumentException>(() => EmbeddingAdam.Update(new double[5], new double[5], new double[4], new double[5], 0.1, 1e-8)).Message);
    }
}
