using Nabla.Optim;
using Nabla.Optim.Schedulers;

namespace Nabla.Tests.Optim;

/// <summary>InverseScalingLR: scikit-learn's invscaling rate η₀/(t + 1)^power after each step, t counted in the caller's units from a start time.</summary>
public class InverseScalingLRTests
{
    [Fact]
    public void EachStepSetsTheBaseRateOverAPowerOfTheTimeSoFar_CreationLeavesTheRate()
    {
        var optimizer = new Sgd([Tensor.Zeros([2], DType.Float64).RequiresGradient()], 0.7);
        var schedule = new InverseScalingLR(optimizer, power: 0.25, timePerStep: 60, startTime: 120, baseLearningRate: 0.5);
        Assert.Equal(0.7, optimizer.LearningRate);
        for (int k = 1; k <= 4; k++)
        {
            schedule.Step();
            // scikit-learn's iteration_ends(t_) with t_ = 120 + 60k samples: learning_rate_init / (t_ + 1) ** power_t.
            Assert.Equal(0.5 / Math.Pow(120 + 60 * k + 1, 0.25), optimizer.LearningRate);
            Assert.Equal(optimizer.LearningRate, schedule.LastLearningRate);
        }
    }

    [Fact]
    public void BadSettingsNameTheirValue()
    {
        var optimizer = new Sgd([Tensor.Zeros([2]).RequiresGradient()], 0.1);
        Assert.Equal("power", Assert.Throws<ArgumentOutOfRangeException>(() => new InverseScalingLR(optimizer, power: -1)).ParamName);
        Assert.Equal("timePerStep", Assert.Throws<ArgumentOutOfRangeException>(() => new InverseScalingLR(optimizer, timePerStep: double.NaN)).ParamName);
        Assert.Equal("startTime", Assert.Throws<ArgumentOutOfRangeException>(() => new InverseScalingLR(optimizer, startTime: -3)).ParamName);
    }
}
