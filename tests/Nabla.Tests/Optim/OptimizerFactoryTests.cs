using Nabla.Optim;

namespace Nabla.Tests.Optim;

public class OptimizerFactoryTests
{
    [Theory]
    [InlineData(OptimizerKind.Sgd, typeof(Sgd))]
    [InlineData(OptimizerKind.Momentum, typeof(Sgd))]
    [InlineData(OptimizerKind.Adam, typeof(Adam))]
    [InlineData(OptimizerKind.Rmsprop, typeof(RmsProp))]
    [InlineData(OptimizerKind.Adagrad, typeof(Adagrad))]
    [InlineData(OptimizerKind.Lbfgs, typeof(Lbfgs))]
    public void Create_BuildsTheKindWithTheLearningRate(OptimizerKind kind, Type expected)
    {
        var parameter = Tensor.Zeros(3).RequiresGradient();

        var optimizer = OptimizerFactory.Create(kind, [parameter], 0.05);

        Assert.IsType(expected, optimizer);
        Assert.Equal(0.05, optimizer.LearningRate);
        if (optimizer is Sgd sgd) Assert.Equal(kind == OptimizerKind.Momentum ? OptimizerFactory.Momentum : 0, sgd.Momentum);
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd, DType.Float32)]
    [InlineData(OptimizerKind.Momentum, DType.Float32)]
    [InlineData(OptimizerKind.Adam, DType.Float32)]
    [InlineData(OptimizerKind.Adam, DType.Float64)]
    [InlineData(OptimizerKind.Rmsprop, DType.Float32)]
    [InlineData(OptimizerKind.Adagrad, DType.Float64)]
    public void StateBytesPerParameter_IsWhatTheOptimizerKeepsAfterItsSteps(OptimizerKind kind, DType dtype)
    {
        var parameter = Tensor.Ones([5], dtype).RequiresGradient();
        var optimizer = OptimizerFactory.Create(kind, [parameter], 0.05);
        for (int step = 0; step < 3; step++)
        {
            optimizer.ZeroGrad();
            (parameter * parameter).Sum().Backward();
            optimizer.Step();
        }

        long kept = optimizer.StateDict().Tensors.Values.Sum(t => (long)t.Length * (t.DType == DType.Float64 ? 8 : 4));

        Assert.Equal(kept, 5 * OptimizerFactory.StateBytesPerParameter(kind, dtype));
    }

    [Fact]
    public void StateBytesPerParameter_OfLbfgs_CountsAFullHistoryOfFloat64Vectors()
    {
        var parameter = Tensor.Ones([5]).RequiresGradient();
        var lbfgs = (Lbfgs)OptimizerFactory.Create(OptimizerKind.Lbfgs, [parameter], 1);
        lbfgs.Step(() =>
        {
            lbfgs.ZeroGrad();
            var loss = ((parameter - 3) * (parameter - 3) * Tensor.FromArray(new float[] { 1, 2, 3, 4, 5 })).Sum();
            loss.Backward();
            return loss;
        });
        long kept = lbfgs.StateDict().Tensors.Values.Sum(t => (long)t.Length * 8);

        // Each history entry is a step and a gradient change; the direction and gradients come on top.
        Assert.Equal((2 * lbfgs.HistorySize + 6) * 8, OptimizerFactory.StateBytesPerParameter(OptimizerKind.Lbfgs, DType.Float32));
        Assert.InRange(kept, 1, 5 * OptimizerFactory.StateBytesPerParameter(OptimizerKind.Lbfgs, DType.Float32));
    }

    [Fact]
    public void Create_RefusesAnUndefinedKind()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerFactory.Create((OptimizerKind)42, [Tensor.Zeros(1).RequiresGradient()], 0.1));
        Assert.Contains("unknown optimizer kind", error.Message);
    }
}
