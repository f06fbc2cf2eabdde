using Nabla.Estimators;

namespace Nabla.Tests.Estimators;

/// <summary>MlpEpoch, the MLP estimators' progress record, prints its numbers.</summary>
public class MlpEpochTests
{
    [Fact]
    public void ToString_ShowsTheIterationOutOfTheMost_AndWhatWasMeasured()
    {
        Assert.Equal("MlpEpoch { Iteration = 3/200, Loss = 0.512346, LearningRate = 0.001 }", new MlpEpoch(3, 200, 0.51234567, null, null, 0.001).ToString());
        Assert.Equal("MlpEpoch { Iteration = 4/200, Loss = 0.5, ValidationScore = 0.9, ValidationLoss = 0.45, LearningRate = 0.001 }",
            new MlpEpoch(4, 200, 0.5, 0.9, 0.45, 0.001).ToString());
    }
}
