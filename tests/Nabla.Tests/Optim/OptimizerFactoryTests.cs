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

    [Fact]
    public void Create_RefusesAnUndefinedKind()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerFactory.Create((OptimizerKind)42, [Tensor.Zeros(1).RequiresGradient()], 0.1));
        Assert.Contains("unknown optimizer kind", error.Message);
    }
}
