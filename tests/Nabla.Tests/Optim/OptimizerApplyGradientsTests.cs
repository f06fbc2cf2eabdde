using Nabla.Optim;

namespace Nabla.Tests.Optim;

/// <summary>
/// Optimizer.ApplyGradients, TensorFlow's <c>apply_gradients(zip(grads, vars))</c>: gradients from a
/// GradientTape take the same steps as Backward() + Step(), which follow PyTorch's trajectories
/// (Fixtures/torch_optim.json); null gradients and unlisted parameters are skipped; bad pairs are refused.
/// </summary>
public class OptimizerApplyGradientsTests
{
    public static TheoryData<string> StepCases() =>
    [
        .. OptimFixture.Value.Optimizers.Where(c => c.DType == "float64" && c.Optimizer != "lbfgs").Select(c => c.Name),
    ];

    [Theory]
    [MemberData(nameof(StepCases))]
    public void TapeGradients_FollowPyTorchTrajectory_AndEqualBackwardStep(string name)
    {
        var c = OptimFixture.Value.Optimizers.Single(c => c.Name == name);
        var problem = OptimFixture.Value.Problem;
        var viaTape = problem.Parameters(DType.Float64);
        var viaBackward = problem.Parameters(DType.Float64);
        var tapeOptimizer = OptimizerTorchReferenceTests.Create(c.Optimizer, c.Options, viaTape);
        var backwardOptimizer = OptimizerTorchReferenceTests.Create(c.Optimizer, c.Options, viaBackward);

        for (int step = 0; step < c.Steps; step++)
        {
            Tensor?[] gradients;
            using (var tape = new GradientTape())
                gradients = tape.Gradient(problem.Loss(viaTape), viaTape);
            Assert.Null(gradients[2]);   // u is unused: the tape gives no gradient, and it must be skipped
            tapeOptimizer.ApplyGradients(gradients, viaTape);

            problem.Closure(backwardOptimizer, viaBackward);
            backwardOptimizer.Step();

            double[] actual = [.. viaTape[0].ToDoubleArray(), .. viaTape[1].ToDoubleArray()];
            Assert.Equal([.. viaBackward[0].ToDoubleArray(), .. viaBackward[1].ToDoubleArray()], actual);
            for (int i = 0; i < actual.Length; i++)
                Assert.True(Math.Abs(actual[i] - c.Trajectory[step][i]) <= 1e-6 * Math.Abs(c.Trajectory[step][i]) + 1e-9,
                    $"{name}: element {i} after step {step + 1}: Nabla {actual[i]:R}, PyTorch {c.Trajectory[step][i]:R}");
        }
        Assert.Equal(problem.U, viaTape[2].ToDoubleArray());
        Assert.All(viaTape, p => Assert.Null(p.Grad));
    }

    [Fact]
    public void ZipForm_TakesHandComputedSgdSteps_AndLeavesGradAsItWas()
    {
        // Minimise (w − 3)² with SGD, lr 0.1: w ← w − 0.1·2(w − 3); from 0: 0.6, 1.08, 1.464.
        var w = Tensor.FromArray([0.0]).RequiresGradient();
        var other = Tensor.FromArray([5.0]).RequiresGradient();
        var sentinel = Tensor.FromArray([100.0]);
        other.Grad = sentinel;
        var optimizer = new Sgd([w, other], learningRate: 0.1);
        double[] expected = [0.6, 1.08, 1.464];
        foreach (double value in expected)
        {
            using var tape = new GradientTape();
            var loss = (w - 3.0).Square().Sum();
            var grads = tape.Gradient(loss, [w]);
            optimizer.ApplyGradients(grads.Zip(new[] { w }));
            Assert.Equal(value, w.Item(), 12);
        }
        Assert.Equal(5.0, other.Item());             // not listed: not updated, although its Grad is set
        Assert.Same(sentinel, other.Grad);
        Assert.Null(w.Grad);
    }

    [Fact]
    public void ForeignParameter_IsRefusedByName()
    {
        var w = Tensor.FromArray([1.0, 2.0]).RequiresGradient();
        var stranger = Tensor.FromArray([1.0, 2.0, 3.0]).RequiresGradient();
        var optimizer = new Adam([w]);
        var error = Assert.Throws<ArgumentException>(() => optimizer.ApplyGradients([Tensor.OnesLike(stranger)], [stranger]));
        Assert.Equal("ApplyGradients: pair 0 names a parameter (shape [3]) that is not one of this Adam's 1 parameter(s); create the optimizer over every tensor it should update. (Parameter 'gradientsAndParameters')", error.Message);
        Assert.Equal([1.0, 2.0], w.ToDoubleArray());
    }

    [Fact]
    public void GradientOfTheWrongShape_IsRefusedBeforeAnyStep()
    {
        var a = Tensor.FromArray([1.0, 2.0]).RequiresGradient();
        var b = Tensor.FromArray([3.0]).RequiresGradient();
        var optimizer = new Sgd([a, b], learningRate: 1);
        var error = Assert.Throws<ShapeMismatchException>(() =>
            optimizer.ApplyGradients([Tensor.OnesLike(a), Tensor.Zeros([2], DType.Float64)], [a, b]));
        Assert.Equal("ApplyGradients: pair 1: parameter 1 has shape [1] but its gradient has shape [2].", error.Message);
        Assert.Equal([1.0, 2.0], a.ToDoubleArray());
    }

    [Fact]
    public void DifferentCounts_DuplicatesAndAllNull_AreRefused()
    {
        var a = Tensor.FromArray([1.0]).RequiresGradient();
        var optimizer = new Sgd([a], learningRate: 1);
        var counts = Assert.Throws<ArgumentException>(() => optimizer.ApplyGradients([Tensor.OnesLike(a)], []));
        Assert.StartsWith("ApplyGradients: got 1 gradient(s) for 0 parameter(s)", counts.Message);
        var twice = Assert.Throws<ArgumentException>(() => optimizer.ApplyGradients([Tensor.OnesLike(a), Tensor.OnesLike(a)], [a, a]));
        Assert.StartsWith("ApplyGradients: pair 1 lists parameter 0 (shape [1]) a second time", twice.Message);
        var none = Assert.Throws<ArgumentException>(() => optimizer.ApplyGradients([null], [a]));
        Assert.StartsWith("ApplyGradients: no gradient was given for any of the 1 parameter(s) listed", none.Message);
        Assert.Equal(1.0, a.Item());
    }
}
