using System.Globalization;
using System.Text.Json;
using Nabla.Tests;
using Xunit.Abstractions;

namespace Nabla.Cli.Tests;

/// <summary>
/// <c>nabla train --federated</c> on the built-in digits, run as a process: IID FedAvg reaches the accuracy of the
/// default centralised run, label-skewed clients still learn (the gap is printed), the progress, plot and JSON go by
/// rounds, the clients spread over mpirun's ranks give the one-process model, and the options that do not fit are refused.
/// </summary>
[Collection(nameof(MpiJobs))]
public sealed class TrainFederatedTests(ITestOutputHelper log) : TemporaryFolder
{
    private static string Cli => RepositoryLayout.CliAssembly;

    private ProgramRun Train(params string[] args)
    {
        var run = ProgramRun.Start(Cli, ["train", .. args]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run;
    }

    [Fact]
    public void Iid_ReachesTheAccuracyOfCentralisedTraining_AndLabelSkewStillLearns()
    {
        double centralised = Train("--out", PathOf("centralised.safetensors")).SummaryValue("Test accuracy");
        var iid = Train("--federated", "--clients", "10", "--rounds", "30", "--out", PathOf("iid.safetensors"));
        var skewed = Train("--federated", "--clients", "10", "--rounds", "30", "--non-iid", "0.1", "--plot", PathOf("rounds.png"), "--out", PathOf("skewed.safetensors"));

        double federated = iid.SummaryValue("Test accuracy"), labelSkew = skewed.SummaryValue("Test accuracy");
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy: centralised {centralised:F4}, FedAvg IID {federated:F4}, FedAvg label skew (Dirichlet 0.1) {labelSkew:F4}; non-IID gap {centralised - labelSkew:F4}"));
        Assert.InRange(federated, centralised - 0.02, 1);
        Assert.InRange(labelSkew, 0.5, 1);
        Assert.Contains(iid.OutputLines, line => line.StartsWith("Federated: FedAvg, 10 clients (IID), all each round, 30 rounds", StringComparison.Ordinal));
        Assert.Contains(skewed.OutputLines, line => line.StartsWith("Federated: FedAvg, 10 clients (label skew, Dirichlet α 0.1)", StringComparison.Ordinal));
        Assert.Single(iid.OutputLines, line => line.StartsWith("round 30/30 ", StringComparison.Ordinal));
        // A PNG file, by its 8-byte signature.
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], File.ReadAllBytes(PathOf("rounds.png"))[..8]);
    }

    [Fact]
    public void Json_HasOneHistoryEntryPerRound()
    {
        var run = Train("--federated", "--clients", "4", "--rounds", "3", "--local-epochs", "1", "--json", "--out", PathOf("model.safetensors"));

        using var json = JsonDocument.Parse(run.StandardOutput);
        var history = json.RootElement.GetProperty("history").EnumerateArray().ToArray();
        Assert.Equal([1, 2, 3], history.Select(round => round.GetProperty("epoch").GetInt32()));
        Assert.All(history, round => Assert.InRange(round.GetProperty("valAccuracy").GetDouble(), 0, 1));
        var settings = json.RootElement.GetProperty("settings");
        Assert.Equal(JsonValueKind.Null, settings.GetProperty("epochs").ValueKind);
        var federated = settings.GetProperty("federated");
        Assert.Equal(4, federated.GetProperty("clients").GetInt32());
        Assert.Equal(3, federated.GetProperty("rounds").GetInt32());
        Assert.Equal(1, federated.GetProperty("localEpochs").GetInt32());
        Assert.Equal(JsonValueKind.Null, federated.GetProperty("nonIidAlpha").ValueKind);
    }

    [MpiFact]
    public void ClientsSpreadOverTwoRanks_GiveTheOneProcessModel()
    {
        string[] federation = ["--federated", "--clients", "10", "--rounds", "5", "--local-epochs", "1"];
        Train([.. federation, "--out", PathOf("single.safetensors")]);

        var run = MpiJob.Run(2, ["train", .. federation, "--out", PathOf("shared.safetensors")]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("Distributed: 2 ranks under mpirun, the 10 clients spread over them (client k on rank k mod 2)", run.OutputLines[0]);
        Assert.Contains(run.OutputLines, line => line.StartsWith("Federated: FedAvg, 10 clients (IID, spread over 2 ranks)", StringComparison.Ordinal));
        Assert.Single(run.OutputLines, line => line.StartsWith("Test accuracy:", StringComparison.Ordinal));
        ModelWeights.AssertClose(PathOf("single.safetensors"), PathOf("shared.safetensors"), 1e-6);
    }

    [Theory]
    [InlineData("--epochs 3", "--epochs does not apply with --federated")]
    [InlineData("--find-lr", "--find-lr does not apply with --federated")]
    [InlineData("--optimizer adam", "--optimizer adam does not apply with --federated")]
    [InlineData("--checkpoint-dir checkpoints", "--checkpoint-dir does not apply with --federated")]
    [InlineData("--non-iid 0", "--non-iid must be a concentration greater than 0")]
    [InlineData("--clients 0", "--clients must be a whole number from 1 to 100,000, got 0")]
    [InlineData("--clients 5000", "--clients 5000 is more than the 1293 training rows")]
    public void OptionsThatDoNotFitFederatedAveraging_AreRefused(string options, string message)
    {
        // --find-lr trains nothing and takes no --out.
        string[] output = options == "--find-lr" ? [] : ["--out", PathOf("model.safetensors")];
        TrainDistributedTests.AssertRefused(ProgramRun.Start(Cli, ["train", "--federated", .. output, .. options.Split(' ')]), message);
        Assert.False(File.Exists(PathOf("model.safetensors")));
    }

    [Fact]
    public void LabelSkewOnARegression_IsRefused() =>
        TrainDistributedTests.AssertRefused(
            ProgramRun.Start(Cli, "train", "--federated", "--non-iid", "0.5", "--data", SharedData.PathOf("diabetes.csv"), "--target", "progression", "--out", PathOf("model.safetensors")),
            "--non-iid skews the clients' shares of the classes, and this is a regression");
}
