using System.Text.Json.Nodes;
using Nabla.Estimators;

namespace Nabla.Tests.Estimators;

/// <summary>
/// The MLP estimators' verbose setting, a level as scikit-learn's (<c>verbose=10</c>): 0 is silent,
/// any higher level prints each epoch; negative levels are refused; model files keep the level and
/// still read the true/false that files held before it was a level.
/// </summary>
public class MlpVerboseTests
{
    private static readonly double[,] X = { { 0.0, 1.0 }, { 1.0, 0.0 }, { 1.0, 1.0 }, { 0.0, 0.0 }, { 0.5, 0.5 }, { 0.2, 0.9 } };
    private static readonly double[] Y = [1.0, 1.0, 2.0, 0.0, 1.0, 1.1];

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 3)]
    [InlineData(10, 3)]
    public void Level_ZeroIsSilent_AnyHigherLevelPrintsEachEpoch(int level, int lines)
    {
        var output = new StringWriter();
        var model = new MlpRegressor(hiddenLayerSizes: [3], maxIter: 3, tol: 0, randomState: 1, verbose: level, verboseOutput: output).Fit(X, Y);

        string[] printed = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(level, model.Options.Verbose);
        Assert.Equal(lines, printed.Length);
        Assert.All(printed, line => Assert.StartsWith("Iteration ", line));
    }

    [Fact]
    public void NegativeLevel_IsRefusedByName()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MlpClassifier(verbose: -1));
        Assert.Equal("verbose", error.ParamName);
        Assert.StartsWith("MlpClassifier: verbose must be 0 (silent) or more (print progress), got -1", error.Message);
    }

    [Fact]
    public void ModelState_KeepsTheLevel_AndReadsTheOldTrueFalse()
    {
        var model = new MlpRegressor(hiddenLayerSizes: [3], maxIter: 2, randomState: 1, verbose: 10, verboseOutput: TextWriter.Null).Fit(X, Y);
        var state = EstimatorKinds.Export(model);
        Assert.Equal(10, JsonNode.Parse(state.Settings)!["verbose"]!.GetValue<int>());
        Assert.Equal(10, ((MlpRegressor)EstimatorKinds.Restore(state)).Options.Verbose);

        foreach (var (old, level) in new[] { (true, 1), (false, 0) })
        {
            var settings = JsonNode.Parse(state.Settings)!.AsObject();
            settings["verbose"] = old;
            var restored = (MlpRegressor)EstimatorKinds.Restore(state with { Settings = settings.ToJsonString() });
            Assert.Equal(level, restored.Options.Verbose);
        }
    }
}
