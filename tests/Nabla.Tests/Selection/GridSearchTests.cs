using Nabla.Selection;

namespace Nabla.Tests.Selection;

/// <summary>The grid tries every combination, once each, the last parameter fastest.</summary>
public class GridSearchTests
{
    [Fact]
    public void Run_TriesEveryCombinationOnce()
    {
        var space = SearchSpace.Parse("activation={relu;tanh},lr=1e-3..1e-1:log,dropout=0..0.5,layers=1..3:int");
        var result = new GridSearch { PointsPerRange = 3 }.Run(space, trial => trial.Parameters.Double("lr"));

        var expected =
            (from activation in new[] { "relu", "tanh" }
             from lr in new[] { 0.001, 0.01, 0.1 }
             from dropout in new[] { 0, 0.25, 0.5 }
             from layers in new[] { 1, 2, 3 }
             select (activation, lr, dropout, layers)).ToArray();
        Assert.Equal(expected.Length, result.Trials.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            var p = result.Trials[i].Parameters;
            Assert.Equal((expected[i].activation, expected[i].dropout, expected[i].layers), (p.String("activation"), p.Double("dropout"), p.Int("layers")));
            // The log-scale midpoint is exp of a mean of logs: 0.01 up to rounding.
            Assert.Equal(expected[i].lr, p.Double("lr"), 1e-15);
        }
    }

    [Fact]
    public void IntegerRanges_TakeTheDistinctNearestWholeNumbers()
    {
        var grid = new GridSearch { PointsPerRange = 5 };
        Assert.Equal([1, 2, 3], grid.Values(ParameterDistribution.IntUniform(1, 3)));
        Assert.Equal([16, 32, 64, 128, 256], grid.Values(ParameterDistribution.LogIntUniform(16, 256)));
    }
}
