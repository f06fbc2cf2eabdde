using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Tests.Autograd;

using Autograd = global::Nabla.Autograd;

/// <summary>
/// <c>ZeroGrad(setToNone: false)</c> zeroes lazily: the next backward pass overwrites each gradient
/// whole instead of adding onto zeros written first. Whatever path writes a gradient (a fused layer
/// rule, the L2 penalty, a generic op's copy), the result must be exactly what a fresh gradient gets,
/// stale values must never leak, and a gradient nobody writes must read as zeros.
/// </summary>
public class LazyZeroGradTests
{
    private const double Stale = 1e30;

    /// <summary>
    /// A network whose gradients are each written first by another path: Input only by the fused
    /// linear + ReLU rule, Second by the plain linear rule (or the L2 penalty, with one), First by both
    /// (tied: it runs twice), Scale by a generic op; Unused by none.
    /// </summary>
    private sealed record Problem(Linear Input, Linear First, Linear Second, Tensor Scale, Tensor Unused, Tensor Inputs, Tensor Targets, bool Penalty)
    {
        public Tensor[] Parameters => [Input.Weight, Input.Bias!, First.Weight, First.Bias!, Second.Weight, Second.Bias!, Scale, Unused];

        public Tensor Loss()
        {
            var hidden = new Sequential(Input, new ReLU(), First, new ReLU()).Forward(Inputs);
            var again = First.Forward(hidden);
            var output = Second.Forward(again) * Scale;
            var loss = Penalty
                ? new L2Penalized(new CrossEntropyLoss(), [First.Weight, Second.Weight], strength: 0.01, perSample: true)
                : (Loss)new CrossEntropyLoss();
            return loss.Forward(output, Targets);
        }

        public static Problem Create(DType dtype, bool penalty)
        {
            var generator = new Generator(7);
            var scale = Tensor.Randn([3], generator, dtype).RequiresGradient();
            var unused = Tensor.Randn([4], generator, dtype).RequiresGradient();
            var inputs = Tensor.Randn([5, 4], generator, dtype);
            var targets = Tensor.FromArray(new[] { 0, 2, 1, 1, 0 });
            return new Problem(new Linear(4, 4, generator: generator, dtype: dtype), new Linear(4, 4, generator: generator, dtype: dtype),
                new Linear(4, 3, generator: generator, dtype: dtype), scale, unused, inputs, targets, penalty);
        }
    }

    private static double[][] Reference(Problem p)
    {
        var grads = Autograd.Grad([p.Loss()], p.Parameters, allowUnused: true);
        return [.. grads.Select((g, i) => g?.ToDoubleArray() ?? new double[p.Parameters[i].Length])];
    }

    private static void AssertGradients(double[][] expected, Problem p, double factor = 1)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            var actual = p.Parameters[i].Grad!.ToDoubleArray();
            for (int j = 0; j < actual.Length; j++)
                Assert.True(Math.Abs(actual[j] - factor * expected[i][j]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i][j])),
                    $"parameter {i}, element {j}: expected {factor * expected[i][j]:R}, got {actual[j]:R}");
        }
    }

    [Theory]
    [InlineData(DType.Float32, false, 1)]
    [InlineData(DType.Float32, true, 1)]
    [InlineData(DType.Float64, false, 1)]
    [InlineData(DType.Float64, true, 1)]
    [InlineData(DType.Float32, false, 2)]
    [InlineData(DType.Float64, true, 2)]
    public void ZeroGradInPlace_ThenBackward_GivesTheFreshGradients_WithNoStaleValues(DType dtype, bool penalty, int passes)
    {
        var p = Problem.Create(dtype, penalty);
        var expected = Reference(p);
        var optimizer = new Sgd(p.Parameters, learningRate: 0.1);
        foreach (var parameter in p.Parameters) parameter.Grad = Tensor.Full(parameter.ShapeArray, Stale, dtype);
        var before = p.Parameters.Select(parameter => parameter.Grad).ToArray();

        optimizer.ZeroGrad(setToNone: false);
        // A second pass adds onto the first, as without lazy zeroing.
        for (int pass = 0; pass < passes; pass++) p.Loss().Backward();

        AssertGradients(expected, p, factor: passes);
        // The same tensors were reused, not replaced.
        for (int i = 0; i < before.Length; i++) Assert.Same(before[i], p.Parameters[i].Grad);
        Assert.All(p.Unused.Grad!.ToDoubleArray(), v => Assert.Equal(0, v));
    }

    [Theory]
    [InlineData(DType.Float32, false)]
    [InlineData(DType.Float32, true)]
    [InlineData(DType.Float64, false)]
    [InlineData(DType.Float64, true)]
    public void GradientsSetToNone_ThenBackward_AreWrittenWhole(DType dtype, bool penalty)
    {
        var p = Problem.Create(dtype, penalty);
        var expected = Reference(p);
        new Sgd(p.Parameters).ZeroGrad();
        p.Loss().Backward();
        // Unused never got a gradient, so it has none; every other one is exact.
        Assert.Null(p.Unused.Grad);
        p.Unused.Grad = Tensor.ZerosLike(p.Unused);
        AssertGradients(expected, p);
    }

    [Fact]
    public void ZeroGradInPlace_ReadBeforeBackward_IsZeros()
    {
        var w = Tensor.FromArray(new[] { 1.0, 2.0 }).RequiresGradient();
        w.Grad = Tensor.FromArray(new[] { 5.0, -3.0 });
        var grad = w.Grad;
        new Sgd([w]).ZeroGrad(setToNone: false);
        Assert.Same(grad, w.Grad);
        Assert.Equal([0.0, 0.0], w.Grad!.ToDoubleArray());
    }
}
