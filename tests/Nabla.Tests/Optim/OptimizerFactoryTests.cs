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

    /// <summary>
    /// One step from p = 1 on the loss p², whose gradient is 2, with weight decay 0.5, worked by hand:
    /// the L2 forms take the gradient 2 + 0.5·1 = 2.5 (SGD and momentum: 1 − 0.1·2.5; RMSprop: square average
    /// 0.01·2.5² = 0.0625, 1 − 0.01·2.5/0.25; Adagrad: sum 2.5², 1 − 0.1·2.5/2.5); AdamW first shrinks p to
    /// 1 − 0.1·0.5 = 0.95, then takes Adam's first step of lr·ĝ/|ĝ| = 0.1 on the undecayed gradient.
    /// </summary>
    [Theory]
    [InlineData(OptimizerKind.Sgd, 0.1, typeof(Sgd), 0.75)]
    [InlineData(OptimizerKind.Momentum, 0.1, typeof(Sgd), 0.75)]
    [InlineData(OptimizerKind.Rmsprop, 0.01, typeof(RmsProp), 0.9)]
    [InlineData(OptimizerKind.Adagrad, 0.1, typeof(Adagrad), 0.9)]
    [InlineData(OptimizerKind.Adam, 0.1, typeof(AdamW), 0.85)]
    public void Create_WithWeightDecay_DecaysAsTheOptimizerDefinesIt(OptimizerKind kind, double learningRate, Type expected, double after)
    {
        var parameter = Tensor.Ones([1], DType.Float64).RequiresGradient();
        var optimizer = OptimizerFactory.Create(kind, [parameter], learningRate, weightDecay: 0.5);
        (parameter * parameter).Sum().Backward();

        optimizer.Step();

        Assert.IsType(expected, optimizer);
        Assert.Equal(after, parameter.Span<double>()[0], 1e-7);
    }

    [Theory]
    [InlineData(OptimizerKind.Adam, -0.1, "weight decay must be finite and at least 0, got -0.1")]
    [InlineData(OptimizerKind.Sgd, double.NaN, "weight decay must be finite and at least 0, got NaN")]
    [InlineData(OptimizerKind.Lbfgs, 0.01, "L-BFGS has no weight decay, got 0.01")]
    public void Create_RefusesAWeightDecayItCannotApply(OptimizerKind kind, double weightDecay, string message)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerFactory.Create(kind, [Tensor.Zeros(1).RequiresGradient()], 0.1, weightDecay));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Create_RefusesAnUndefinedKind()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerFactory.Create((OptimizerKind)42, [Tensor.Zeros(1).RequiresGradient()], 0.1));
        Assert.Contains("unknown optimizer kind", error.Message);
    }
}
