using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Tests.Training;

public class GradientDiagnosticsTests
{
    private static readonly int[] Deep = [8, 32, 32, 32, 32, 32, 32, 32, 32, 1];

    /// <summary>One backward pass of the MSE loss on a regression batch, then the report.</summary>
    private static GradientReport InspectAfterBackward(Sequential model)
    {
        var (x, y) = Blobs.Regression(64, features: 8);
        new MseLoss().Forward(model.Forward(x), y).Backward();
        return new GradientDiagnostics().Inspect(model);
    }

    [Fact]
    public void DeepSigmoidNetwork_IsFlaggedAsVanishing()
    {
        var report = InspectAfterBackward(Networks.Mlp(Deep, () => new Sigmoid()));
        Assert.True(report.VanishingGradients, report.ToString());
        Assert.False(report.ExplodingGradients, report.ToString());
        Assert.True(report.Spread < 1e-3);
        Assert.Contains("Vanishing gradients: the gradient RMS of '0.weight' (input side)", report.Findings.Single());
        Assert.Contains("'16.weight' (output side)", report.Findings.Single());
        Assert.Contains("ReLU", report.Findings.Single());
    }

    [Fact]
    public void ReluNetworkWithKaimingInit_IsNotFlagged()
    {
        var model = Networks.Mlp(Deep, () => new ReLU());
        var generator = new Generator(3);
        foreach (var layer in model.OfType<Linear>())
        {
            Init.KaimingNormal(layer.Weight, nonlinearity: Nonlinearity.Relu, generator: generator);
            Init.Constant(layer.Bias!, 0);
        }
        var report = InspectAfterBackward(model);
        Assert.False(report.VanishingGradients, report.ToString());
        Assert.False(report.ExplodingGradients, report.ToString());
        Assert.Empty(report.Findings);
        Assert.InRange(report.Spread, 0.1, 10);
        Assert.EndsWith("No vanishing or exploding gradients.", report.ToString());
    }

    [Fact]
    public void HugeWeights_AreFlaggedAsExploding()
    {
        var model = Networks.Mlp(Deep, () => new ReLU());
        var generator = new Generator(4);
        foreach (var layer in model.OfType<Linear>()) Init.Normal(layer.Weight, 0, 1, generator);
        var report = InspectAfterBackward(model);
        Assert.True(report.ExplodingGradients, report.ToString());
        Assert.False(report.VanishingGradients);
        Assert.Contains("Exploding gradients", report.Findings.Single());
        Assert.Contains("ClipGradNorm", report.Findings.Single());
    }

    [Fact]
    public void AsCallback_ReportsEachEpoch_WithUpdateRatios()
    {
        var (x, y) = Blobs.Classification(64);
        var model = Networks.Mlp([4, 16, 3], () => new ReLU());
        var diagnostics = new GradientDiagnostics();
        double learningRate = 0.01;
        var trainer = new Trainer(model, new CrossEntropyLoss(), new Sgd(model.Parameters(), learningRate)) { Callbacks = { diagnostics } };

        // With plain SGD the update is exactly lr·g, so on the first step ‖Δw‖/‖w‖ = lr·‖g‖/‖w_new‖.
        trainer.Fit(new DataLoader(x, y, 64), epochs: 1);
        var single = diagnostics.EpochReports.Single();
        Assert.Equal(1, single.Epoch);
        foreach (var p in single.Parameters)
            Assert.Equal(learningRate * p.GradientNorm / p.WeightNorm, p.UpdateRatio, 1e-4);

        trainer.Fit(new DataLoader(x, y, 16), epochs: 3);
        Assert.Equal([1, 2, 3], diagnostics.EpochReports.Select(r => r.Epoch));
        Assert.All(diagnostics.EpochReports.SelectMany(r => r.Parameters), p =>
        {
            Assert.True(p.GradientNorm > 0 && double.IsFinite(p.GradientNorm));
            Assert.InRange(p.UpdateRatio, 1e-6, 1e-1);
        });
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], diagnostics.EpochReports[0].Parameters.Select(p => p.Name));
        Assert.Contains("update/weight", diagnostics.EpochReports[0].ToString());
    }

    [Fact]
    public void BadThresholds_GetSpecificMessages()
    {
        Assert.Contains("between 0 and 1, got 2", Assert.Throws<ArgumentOutOfRangeException>(() => new GradientDiagnostics(vanishingSpread: 2)).Message);
        Assert.Contains("finite and above 1, got 0.5", Assert.Throws<ArgumentOutOfRangeException>(() => new GradientDiagnostics(explodingSpread: 0.5)).Message);
        Assert.Contains("positive and finite, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new GradientDiagnostics(explodingNorm: 0)).Message);
    }
}
