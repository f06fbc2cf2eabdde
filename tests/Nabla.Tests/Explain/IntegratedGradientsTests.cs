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
        Assert.All(result.Evaluations, n => Assert.Equal(17, n));
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

    /// <summary>
    /// A one-hidden-layer ReLU network is linear in α between the points where a hidden unit switches, which
    /// the first layer's (linear) pre-activations give exactly: the reference integrates the constant gradient
    /// piece by piece. Captum's 50-point rule, and the same rule with as many points as the adaptive one used,
    /// miss completeness by far more than 1e-6.
    /// </summary>
    [Fact]
    public void ReluMlp_MatchesTheExactPiecewiseIntegral_WhereFixedRulesFallShort()
    {
        var model = Mlp([6, 24, 3], () => new ReLU(), seed: 5);
        var x = Rows(3, 6, 21);
        var start = new double[6];
        var ig = new IntegratedGradients(model);
        var result = ig.Attribute(x, target: 2);
        for (int r = 0; r < 3; r++)
        {
            var exact = PiecewiseReference(model, x, r, start, target: 2);
            for (int i = 0; i < 6; i++) Assert.Equal(exact[i], result.Attributions[r, i], 1e-8);
            Assert.True(Math.Abs(result.CompletenessError[r]) < 1e-6, $"row {r}: gap {result.CompletenessError[r]:E2}");
        }
        var captum = ig.AttributeGaussLegendre(x, 50, target: 2);
        int most = result.Evaluations.Max();
        var sameBudget = ig.AttributeGaussLegendre(x, most, target: 2);
        output.WriteLine($"ReLU: adaptive evaluations {string.Join(", ", result.Evaluations)}, gaps {string.Join(", ", result.CompletenessError.Select(g => g.ToString("E1")))}, bounds {string.Join(", ", result.ErrorBound.Select(g => g.ToString("E1")))}");
        output.WriteLine($"Gauss–Legendre 50 gaps {string.Join(", ", captum.CompletenessError.Select(g => g.ToString("E1")))}; {most} points: {string.Join(", ", sameBudget.CompletenessError.Select(g => g.ToString("E1")))}");
        Assert.True(captum.CompletenessError.Max(Math.Abs) > 1e-6);
        Assert.True(sameBudget.CompletenessError.Max(Math.Abs) > 1e-6);
    }

    /// <summary>
    /// The exact walk of a ReLU network (what the Module constructor chooses) matches the piecewise reference to rounding,
    /// with about two gradients per unit that switches along the path (24 hidden units here), and its error bound holds.
    /// </summary>
    [Fact]
    public void ReluMlp_ExactWalk_MatchesThePiecewiseIntegral_InAFewGradientsASwitch()
    {
        var model = Mlp([6, 24, 3], () => new ReLU(), seed: 5);
        var x = Rows(4, 6, 33);
        var start = new double[6];
        var ig = new IntegratedGradients(model);
        Assert.True(ig.PiecewiseLinear);
        var result = ig.Attribute(x, target: 1);
        for (int r = 0; r < 4; r++)
        {
            var exact = PiecewiseReference(model, x, r, start, target: 1);
            for (int i = 0; i < 6; i++) Assert.Equal(exact[i], result.Attributions[r, i], 1e-12);
            Assert.True(Math.Abs(result.CompletenessError[r]) < 1e-12, $"row {r}: gap {result.CompletenessError[r]:E2}");
            Assert.True(result.Converged[r]);
            Assert.InRange(result.Evaluations[r], 2, 2 + 3 * 24);
            Assert.InRange(result.ErrorBound[r], 0, 1e-9);
        }
    }

    /// <summary>
    /// A CNN (convolution, ReLU, max pooling, linear) is piecewise linear too, max pooling switching where two inputs of a window
    /// cross: the walk agrees with adaptive quadrature run to a tight tolerance, in a small fraction of its gradients.
    /// </summary>
    [Fact]
    public void Cnn_ExactWalk_AgreesWithTightQuadrature_InFarFewerGradients()
    {
        var model = Nabla.Models.ModelArchitecture.Cnn(1, 8, 8, 4).Build(DType.Float64, new Generator(3));
        model.Eval();
        var x = Tensor.Randn([1, 1, 8, 8], new Generator(8), DType.Float64);
        var walk = new IntegratedGradients(model);
        Assert.True(walk.PiecewiseLinear);
        var quadrature = new IntegratedGradients(model.Forward) { AbsoluteTolerance = 1e-10 };
        Assert.False(quadrature.PiecewiseLinear);
        var exact = walk.Attribute(x, target: 2);
        var reference = quadrature.Attribute(x, target: 2);
        var a = exact.Attributions.ToDoubleArray();
        var b = reference.Attributions.ToDoubleArray();
        for (int i = 0; i < a.Length; i++) Assert.Equal(b[i], a[i], 1e-7);
        for (int r = 0; r < 1; r++)
        {
            output.WriteLine($"CNN row {r}: walk {exact.Evaluations[r]} gradients (gap {exact.CompletenessError[r]:E1}), quadrature {reference.Evaluations[r]} (gap {reference.CompletenessError[r]:E1})");
            Assert.True(Math.Abs(exact.CompletenessError[r]) < 1e-10);
            Assert.True(exact.Evaluations[r] * 10 < reference.Evaluations[r]);
        }
    }

    /// <summary>A smooth model said to be piecewise linear has no straight segment: the walk stops at its budget, unconverged, rather than answer wrongly.</summary>
    [Fact]
    public void SmoothModel_WronglySaidPiecewiseLinear_EndsUnconverged()
    {
        var model = Mlp([4, 8, 2], () => new Tanh(), seed: 2);
        Assert.False(new IntegratedGradients(model).PiecewiseLinear);
        var result = new IntegratedGradients(model.Forward) { PiecewiseLinear = true, MaxEvaluations = 300 }.Attribute(Rows(1, 4, 4), target: 0);
        Assert.False(result.Converged[0]);
        Assert.True(result.Evaluations[0] <= 300);
    }

    /// <summary>
    /// An MLP as <c>nabla train</c> builds for digits (64 → 128 → 64 → 10, ReLU), trained briefly in Float32 and
    /// explained in Float64: completeness within 1e-6 on every row explained, for its predicted class.
    /// </summary>
    [Fact]
    public void DigitsMlp_ReachesCompletenessWithin1e6OnEveryRow()
    {
        var (trainX, trainY) = Digits.Train;
        var trained = Mlp([64, 128, 64, 10], () => new ReLU(), seed: 7, DType.Float32);
        var trainer = new Trainer(trained, new CrossEntropyLoss(), new Adam(trained.Parameters(), 1e-3));
        trainer.Fit(new DataLoader(trainX, trainY, 64, shuffle: true, generator: new Generator(1)), epochs: 2);
        var model = Mlp([64, 128, 64, 10], () => new ReLU(), seed: 7);
        model.LoadStateDict(trained.StateDict().ToDictionary(p => p.Key, p => p.Value.To(DType.Float64)));

        var (testX, _) = Digits.Test;
        var rows = testX.Slice(0, 0, 3).To(DType.Float64);
        var predicted = model.Forward(rows).ArgMax(axis: 1).ToArray<int>();
        var ig = new IntegratedGradients(model) { AbsoluteTolerance = 1e-7 };
        for (int r = 0; r < 3; r++)
        {
            var result = ig.Attribute(rows.Slice(0, r, 1), target: predicted[r]);
            output.WriteLine($"digits row {r}: class {predicted[r]}, F(x) − F(0) = {result.OutputDifference[0]:F4}, gap {result.CompletenessError[0]:E1}, bound {result.ErrorBound[0]:E1}, {result.Evaluations[0]} evaluations");
            Assert.True(result.Converged[0]);
            Assert.True(Math.Abs(result.CompletenessError[0]) < 1e-6, $"row {r}: gap {result.CompletenessError[0]:E2}");
            var captum = ig.AttributeGaussLegendre(rows.Slice(0, r, 1), 50, target: predicted[r]);
            output.WriteLine($"  Captum's default, Gauss–Legendre with 50 points: gap {captum.CompletenessError[0]:E1}");
            Assert.True(Math.Abs(captum.CompletenessError[0]) > 1e-6);
        }
    }

    // Σ over the pieces between hidden units' switching points of the width times the gradient at the piece's middle.
    private static double[] PiecewiseReference(Sequential model, Tensor x, int row, double[] start, int target)
    {
        var end = Point(x, row, start, 1);
        var hidden = model[0];
        var atStart = hidden.Forward(Tensor.FromArray(start, 1, start.Length)).ToDoubleArray();
        var atEnd = hidden.Forward(Tensor.FromArray(end, 1, end.Length)).ToDoubleArray();
        var breaks = new List<double> { 0, 1 };
        for (int j = 0; j < atStart.Length; j++)
            if (Math.Sign(atStart[j]) * Math.Sign(atEnd[j]) < 0) breaks.Add(atStart[j] / (atStart[j] - atEnd[j]));
        breaks.Sort();
        var attribution = new double[start.Length];
        for (int k = 0; k + 1 < breaks.Count; k++)
        {
            var gradient = Gradient(model, Point(x, row, start, 0.5 * (breaks[k] + breaks[k + 1])), target);
            for (int i = 0; i < start.Length; i++) attribution[i] += (breaks[k + 1] - breaks[k]) * gradient[i] * (end[i] - start[i]);
        }
        return attribution;
    }

    private static double[] Point(Tensor x, int row, double[] start, double alpha) =>
        [.. start.Select((s, i) => s + alpha * (x[row, i] - s))];

    private static double[] Gradient(Module model, double[] point, int target)
    {
        var input = Tensor.FromArray(point, 1, point.Length).RequiresGradient();
        return Nabla.Autograd.Grad(model.Forward(input).Slice(1, target, 1).Sum(), input).ToDoubleArray();
    }
}
