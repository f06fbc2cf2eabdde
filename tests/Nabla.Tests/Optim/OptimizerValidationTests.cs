using Nabla.Optim;
using Nabla.Optim.Schedulers;

namespace Nabla.Tests.Optim;

/// <summary>The messages a user gets for bad settings, bad parameter lists and misuse.</summary>
public class OptimizerValidationTests
{
    private static Tensor[] Params() => [Tensor.Zeros([2], DType.Float64).RequiresGradient()];

    public static TheoryData<string, string, Func<object>> BadSettings() => new()
    {
        { "learningRate", "learning rate must be non-negative, got -0.1", () => new Sgd(Params(), -0.1) },
        { "learningRate", "learning rate must be non-negative, got NaN", () => new Adam(Params(), double.NaN) },
        { "momentum", "momentum must be in [0, 1), got 1", () => new Sgd(Params(), 0.1, momentum: 1) },
        { "dampening", "dampening must be in [0, 1], got 1.5", () => new Sgd(Params(), 0.1, 0.9, dampening: 1.5) },
        { "weightDecay", "weight decay must be non-negative, got -0.01", () => new Sgd(Params(), 0.1, weightDecay: -0.01) },
        { "nesterov", "Nesterov momentum needs momentum > 0 and dampening 0, got momentum 0 and dampening 0", () => new Sgd(Params(), 0.1, nesterov: true) },
        { "nesterov", "Nesterov momentum needs momentum > 0 and dampening 0, got momentum 0.9 and dampening 0.1", () => new Sgd(Params(), 0.1, 0.9, 0.1, nesterov: true) },
        { "learningRateDecay", "learning rate decay must be non-negative, got -1", () => new Adagrad(Params(), learningRateDecay: -1) },
        { "initialAccumulatorValue", "initial accumulator value must be non-negative, got -0.5", () => new Adagrad(Params(), initialAccumulatorValue: -0.5) },
        { "eps", "eps must be non-negative, got -1E-10", () => new Adagrad(Params(), eps: -1e-10) },
        { "alpha", "alpha must be in [0, 1], got 1.01", () => new RmsProp(Params(), alpha: 1.01) },
        { "momentum", "momentum must be in [0, 1), got -0.5", () => new RmsProp(Params(), momentum: -0.5) },
        { "beta1", "beta1 must be in [0, 1), got 1.5", () => new Adam(Params(), beta1: 1.5) },
        { "beta2", "beta2 must be in [0, 1), got 1", () => new AdamW(Params(), beta2: 1) },
        { "weightDecay", "weight decay must be non-negative, got -0.1", () => new AdamW(Params(), weightDecay: -0.1) },
        { "maxIterations", "max iterations must be at least 1, got 0", () => new Lbfgs(Params(), maxIterations: 0) },
        { "historySize", "history size must be at least 1, got 0", () => new Lbfgs(Params(), historySize: 0) },
        { "toleranceGrad", "gradient tolerance must be non-negative, got -1", () => new Lbfgs(Params(), toleranceGrad: -1) },
        { "stepSize", "step size must be at least 1, got 0", () => new StepLR(new Sgd(Params()), 0) },
        { "milestones", "milestone must be at least 1, got 0", () => new MultiStepLR(new Sgd(Params()), [0, 3]) },
        { "gamma", "gamma must be non-negative, got -2", () => new ExponentialLR(new Sgd(Params()), -2) },
        { "maxEpochs", "max epochs must be at least 1, got 0", () => new CosineAnnealingLR(new Sgd(Params()), 0) },
        { "periodMultiplier", "period multiplier must be at least 1, got 0", () => new CosineAnnealingWarmRestarts(new Sgd(Params()), 5, 0) },
        { "startFactor", "start factor must be in (0, 1], got 0", () => new LinearLR(new Sgd(Params()), startFactor: 0) },
        { "endFactor", "end factor must be in [0, 1], got 2", () => new LinearLR(new Sgd(Params()), endFactor: 2) },
        { "maxLearningRate", "max learning rate must be positive, got 0", () => new OneCycleLR(new Sgd(Params()), 0, 10) },
        { "percentStart", "percent start must be in [0, 1], got 1.2", () => new OneCycleLR(new Sgd(Params()), 1, 10, percentStart: 1.2) },
        { "factor", "factor must be in [0, 1), got 1", () => new ReduceLROnPlateau(new Sgd(Params()), factor: 1) },
        { "patience", "patience must be non-negative, got -1", () => new ReduceLROnPlateau(new Sgd(Params()), patience: -1) },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void BadSetting_ThrowsNamingTheSettingAndValue(string parameter, string message, Func<object> create)
    {
        var error = Assert.ThrowsAny<ArgumentException>(create);
        Assert.Equal(parameter, error.ParamName);
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void LearningRateSetter_RejectsNegative_AndAcceptsZero()
    {
        var sgd = new Sgd(Params(), 0.1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = -0.1);
        Assert.StartsWith("learning rate must be non-negative, got -0.1", error.Message);
        sgd.LearningRate = 0;
        Assert.Equal(0, sgd.LearningRate);
    }

    public static TheoryData<string, Func<Tensor[]>> BadParameterLists() => new()
    {
        { "the optimizer got an empty parameter list", () => [] },
        { "parameter 0 (shape [2]) is Int32", () => [Tensor.FromArray([1, 2])] },
        { "parameter 0 (shape [2]) does not require gradients", () => [Tensor.Zeros([2], DType.Float64)] },
        { "parameter 0 (shape [2]) is not a leaf: it was computed by MultiplyScalar", () => [Tensor.Zeros([2], DType.Float64).RequiresGradient() * 2.0] },
        { "parameter 1 (shape [2]) appears more than once", () => { var p = Params()[0]; return [p, p]; } },
    };

    [Theory]
    [MemberData(nameof(BadParameterLists))]
    public void BadParameterList_IsRejected(string message, Func<Tensor[]> parameters)
    {
        var error = Assert.Throws<ArgumentException>(() => new Adam(parameters()));
        Assert.StartsWith(message, error.Message);
        Assert.Equal("parameters", error.ParamName);
    }

    [Fact]
    public void Step_GradientOfWrongShape_ThrowsShapeMismatch()
    {
        var p = Params()[0];
        var sgd = new Sgd([p], 0.1);
        p.Grad = Tensor.Zeros([3], DType.Float64);
        var error = Assert.Throws<ShapeMismatchException>(sgd.Step);
        Assert.Equal("Sgd.Step: parameter 0 has shape [2] but its gradient has shape [3].", error.Message);
    }

    [Fact]
    public void Lbfgs_StepWithoutClosure_ExplainsWhatToCall()
    {
        var error = Assert.Throws<InvalidOperationException>(new Lbfgs(Params()).Step);
        Assert.Contains("call Step(closure)", error.Message);
    }

    [Fact]
    public void OneCycleLR_CycleMomentumOnAdagrad_ExplainsTheOption()
    {
        var error = Assert.Throws<ArgumentException>(() => new OneCycleLR(new Adagrad(Params()), 1, 10));
        Assert.Equal("cycleMomentum", error.ParamName);
        Assert.Contains("got Adagrad; pass cycleMomentum: false", error.Message);
        Assert.Equal(0.04, new OneCycleLR(new Adagrad(Params()), 1, 10, cycleMomentum: false).LastLearningRate, 15);
    }

    [Fact]
    public void OneCycleLR_SteppedPastItsTotal_Throws()
    {
        var scheduler = new OneCycleLR(new Sgd(Params()), 1, 3);
        for (int i = 0; i < 3; i++) scheduler.Step();
        var error = Assert.Throws<InvalidOperationException>(scheduler.Step);
        Assert.Contains("tried to step 5 times, but the schedule has 3 total steps", error.Message);
    }
}
