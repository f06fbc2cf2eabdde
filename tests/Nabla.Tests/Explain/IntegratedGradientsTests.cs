using Nabla.Calculus;
using Nabla.Explain;
using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;
using Xunit.Abstractions;

namespace Nabla.Tests.Explain;

public class IntegratedGradientsTests(ITestOutputHelper output)
{
    private static Sequential Mlp(int[] sizes, Func<Module> activation, ulong seed, DType dtype = DType.Float64)
    {
        var generator = new Generator(seed);
        var model = new Sequential();
        for (int i = 0; i + 1 < sizes.Length; i++)
        {
            if (i > 0) model.Add(activation());
            model.Add(new Linear(sizes[i], sizes[i + 1], generator: generator, dtype: dtype));
        }
        return model;
    }

    private static Tensor Rows(int rows, int features, ulong seed) => Tensor.Randn([rows, features], new Generator(seed), DType.Float64);

    [Fact]
    public void LinearModel_AttributionsAreExactlyWeightsTimesDifference()
    {
        var w = new[] { 0.5, -1.25, 2.0 };
        var weights = Tensor.FromArray(w, 3, 1);
        var x = Tensor.FromArray(new double[,] { { 1, 2, 3 }, { -0.5, 0.25, 4 } });
        var baseline = Tensor.FromArray(new[] { 0.5, -1.0, 1.0 });
        var result = new IntegratedGradients(input => input.MatMul(weights) + 7).Attribute(x, baseline: Baseline.Row(baseline));
        for (int r = 0; r < 2; r++)
            for (int i = 0; i < 3; i++)
                Assert.Equal(w[i] * (x[r, i] - baseline[i]), result.Attributions[r, i], 1e-15);
        Assert.All(result.CompletenessError, gap => Assert.True(Math.Abs(gap) < 1e-14, $"gap {gap}"));
        Assert.All(result.Evaluations, n => Assert.Equal(15, n));
    }

    /// <summary>The tanh network's integrand is smooth: one scalar adaptive integral per feature (QUADPACK's QAGS, a separate code path) is the reference.</summary>
    [Fact]
    public void TanhMlp_MatchesScalarQuadraturePerFeature_AndBeatsCaptumsDefault()
    {
        var model = Mlp([6, 16, 16, 3], () => new Tanh(), seed: 3);
        var x = Rows(4, 6, 11);
        var baseline = Baseline.TrainingMean(Rows(50, 6, 12));
        var ig = new IntegratedGradients(model);
        var result = ig.Attribute(x, target: 1, baseline);
        var start = Rows(50, 6, 12).Mean(axis: 0).ToDoubleArray();
        for (int r = 0; r < 4; r++)
        {
            for (int i = 0; i < 6; i++)
            {
                int row = r, feature = i;
                double delta = x[row, feature] - start[feature];
                var reference = Integrate.Adaptive(alpha => Gradient(model, Point(x, row, start, alpha), 1)[feature], 0, 1, relativeTolerance: 1e-13, absoluteTolerance: 1e-15);
                Assert.Equal(delta * reference.Value, result.Attributions[row, feature], 1e-8);
            }
            Assert.True(Math.Abs(result.CompletenessError[r]) < 1e-6);
            Assert.True(Math.Abs(result.CompletenessError[r]) <= result.ErrorBound[r] + 1e-14, $"row {r}: gap {result.CompletenessError[r]:E2} beyond the bound {result.ErrorBound[r]:E2}");
        }
        var captum = ig.AttributeGaussLegendre(x, 50, target: 1, baseline);
        output.WriteLine($"tanh: adaptive evaluations {string.Join(", ", result.Evaluations)}, gaps {string.Join(", ", result.CompletenessError.Select(g => g.ToString("E1")))}; Gauss–Legendre 50 gaps {string.Join(", ", captum.CompletenessError.Select(g => g.ToString("E1")))}");
        Assert.All(result.Evaluations, n => Assert.True(n < 50, $"{n} evaluations"));
    }

    private static double[] Point(Tensor x, int row, double[] start, double alpha) =>
        [.. start.Select((s, i) => s + alpha * (x[row, i] - s))];

    private static double[] Gradient(Module model, double[] point, int target)
    {
        var input = Tensor.FromArray(point, 1, point.Length).RequiresGradient();
        return Nabla.Autograd.Grad(model.Forward(input).Slice(1, target, 1).Sum(), input).ToDoubleArray();
    }
}
