using Nabla.Optim;

namespace Nabla.Tests.Optim;

/// <summary>
/// The scikit-learn forms of the shared optimizers (<see cref="AdamEpsilonPlacement.RawMoment"/>,
/// <see cref="SgdMomentumForm.Velocity"/>): each step equals scikit-learn's <c>AdamOptimizer</c> and
/// <c>SGDOptimizer</c> transcribed line by line in plain Float64 (same order of operations, so the
/// same bits), and each form relates to PyTorch's as its documentation says. The trajectories of
/// whole MLP fits against scikit-learn itself are in Estimators/Mlp.
/// </summary>
public class OptimizerScikitLearnFormTests
{
    private const int Steps = 12;

    [Theory]
    [InlineData(0.9, 0.999, 1e-8)]
    [InlineData(0.8, 0.99, 1e-3)]
    public void AdamWithEpsilonOnTheRawMoment_TakesScikitLearnsSteps(double beta1, double beta2, double eps)
    {
        var problem = OptimFixture.Value.Problem;
        var parameters = problem.Parameters(DType.Float64);
        var optimizer = new Adam(parameters, 0.05, beta1, beta2, eps, epsilonPlacement: AdamEpsilonPlacement.RawMoment);
        var expected = Copies(parameters);
        var m = expected.Select(p => new double[p.Length]).ToArray();
        var v = expected.Select(p => new double[p.Length]).ToArray();
        for (int t = 1; t <= Steps; t++)
        {
            problem.Closure(optimizer, parameters);
            var grads = Gradients(parameters);
            optimizer.Step();
            // scikit-learn's AdamOptimizer._get_updates, then param += update.
            double lr = 0.05 * Math.Sqrt(1 - Math.Pow(beta2, t)) / (1 - Math.Pow(beta1, t));
            for (int i = 0; i < expected.Length; i++)
            {
                for (int j = 0; j < expected[i].Length; j++)
                {
                    m[i][j] = beta1 * m[i][j] + (1 - beta1) * grads[i][j];
                    v[i][j] = beta2 * v[i][j] + (1 - beta2) * (grads[i][j] * grads[i][j]);
                    expected[i][j] += -lr * m[i][j] / (Math.Sqrt(v[i][j]) + eps);
                }
                Assert.Equal(expected[i], parameters[i].ToDoubleArray());
            }
        }
    }

    [Fact]
    public void WithoutEpsilon_BothPlacementsAreTheSameAdam()
    {
        var problem = OptimFixture.Value.Problem;
        var torch = problem.Parameters(DType.Float64);
        var raw = problem.Parameters(DType.Float64);
        var corrected = new Adam(torch, 0.05, eps: 0);
        var folded = new Adam(raw, 0.05, eps: 0, epsilonPlacement: AdamEpsilonPlacement.RawMoment);
        for (int t = 0; t < Steps; t++) StepBoth(corrected, torch, folded, raw);
        AssertClose(torch, raw, 1e-12);
    }

    [Theory]
    [InlineData(0.9, true)]
    [InlineData(0.9, false)]
    [InlineData(0.0, false)]
    [InlineData(1.0, true)]
    public void SgdWithAVelocity_TakesScikitLearnsSteps(double momentum, bool nesterov)
    {
        var problem = OptimFixture.Value.Problem;
        var parameters = problem.Parameters(DType.Float64);
        var optimizer = new Sgd(parameters, 0.01, momentum, nesterov: nesterov, momentumForm: SgdMomentumForm.Velocity);
        var expected = Copies(parameters);
        var velocities = expected.Select(p => new double[p.Length]).ToArray();
        for (int t = 0; t < Steps; t++)
        {
            // The rate changes halfway, as scikit-learn's invscaling and adaptive schedules change it.
            double lr = t < Steps / 2 ? 0.01 : 0.002;
            optimizer.LearningRate = lr;
            problem.Closure(optimizer, parameters);
            var grads = Gradients(parameters);
            optimizer.Step();
            // scikit-learn's SGDOptimizer._get_updates, then param += update.
            for (int i = 0; i < expected.Length; i++)
            {
                for (int j = 0; j < expected[i].Length; j++)
                {
                    velocities[i][j] = momentum * velocities[i][j] - lr * grads[i][j];
                    expected[i][j] += nesterov ? momentum * velocities[i][j] - lr * grads[i][j] : velocities[i][j];
                }
                Assert.Equal(expected[i], parameters[i].ToDoubleArray());
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AtAConstantRate_TheVelocityAndGradientFormsAgree_AndAfterARateChangeTheyDiffer(bool nesterov)
    {
        var problem = OptimFixture.Value.Problem;
        var torch = problem.Parameters(DType.Float64);
        var velocity = problem.Parameters(DType.Float64);
        var gradientForm = new Sgd(torch, 0.01, 0.9, nesterov: nesterov);
        var velocityForm = new Sgd(velocity, 0.01, 0.9, nesterov: nesterov, momentumForm: SgdMomentumForm.Velocity);
        for (int t = 0; t < Steps; t++) StepBoth(gradientForm, torch, velocityForm, velocity);
        AssertClose(torch, velocity, 1e-12);

        gradientForm.LearningRate = velocityForm.LearningRate = 0.001;
        StepBoth(gradientForm, torch, velocityForm, velocity);
        double gap = torch.Zip(velocity).Max(pair => pair.First.ToDoubleArray().Zip(pair.Second.ToDoubleArray()).Max(v => Math.Abs(v.First - v.Second)));
        Assert.True(gap > 1e-6, $"the forms should part once the rate changes (the velocity keeps the old rate's steps); largest difference {gap:E2}");
    }

    [Fact]
    public void TheVelocityIsItsOwnStateAndRefusesDampening()
    {
        var parameters = OptimFixture.Value.Problem.Parameters(DType.Float64);
        var sgd = new Sgd(parameters, 0.1, 0.5, momentumForm: SgdMomentumForm.Velocity);
        OptimFixture.Value.Problem.Closure(sgd, parameters);
        sgd.Step();
        Assert.Contains("0.velocity", sgd.StateDict().Tensors.Keys);
        var error = Assert.Throws<ArgumentException>(() => new Sgd(parameters, 0.1, 0.5, dampening: 0.1, momentumForm: SgdMomentumForm.Velocity));
        Assert.Equal("dampening", error.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(parameters, 0.1, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(parameters, momentumForm: (SgdMomentumForm)5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(parameters, epsilonPlacement: (AdamEpsilonPlacement)5));
    }

    private static void StepBoth(Optimizer first, Tensor[] firstParameters, Optimizer second, Tensor[] secondParameters)
    {
        OptimFixture.Value.Problem.Closure(first, firstParameters);
        first.Step();
        OptimFixture.Value.Problem.Closure(second, secondParameters);
        second.Step();
    }

    private static double[][] Copies(Tensor[] parameters) => [.. parameters.Select(p => p.ToDoubleArray())];

    private static double[][] Gradients(Tensor[] parameters) => [.. parameters.Select(p => p.Grad?.ToDoubleArray() ?? new double[p.Length])];

    private static void AssertClose(Tensor[] expected, Tensor[] actual, double relative)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            var (e, a) = (expected[i].ToDoubleArray(), actual[i].ToDoubleArray());
            for (int j = 0; j < e.Length; j++)
                Assert.True(Math.Abs(e[j] - a[j]) <= relative * Math.Max(1, Math.Abs(e[j])), $"parameter {i}[{j}]: {a[j]:R} against {e[j]:R}");
        }
    }
}
