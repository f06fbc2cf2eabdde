using System.Text.Json;
using Nabla.Tests;

namespace Nabla.Cli.Tests;

/// <summary>
/// <c>nabla train --lr-schedule</c> and its parameters, run as a process: each schedule gives, epoch by
/// epoch, the learning rates PyTorch's scheduler of the same name gives (tools/fixtures/torch_lr_schedules.py);
/// plateau cuts the rate after the epochs whose validation loss did not fall; the rate shows in the
/// epoch lines, the header and the plot; and a parameter that does not fit is refused by name.
/// </summary>
public sealed class TrainScheduleTests : TemporaryFolder
{
    private ProgramRun Train(params string[] args) => ProgramRun.Start(RepositoryLayout.CliAssembly, ["train", .. args, "--out", PathOf("model.safetensors")]);

    /// <summary>Six epochs of plain SGD at rate 0.1 on the built-in digits: 1293 training rows, 21 batches an epoch.</summary>
    private static readonly string[] SixEpochs = ["--optimizer", "sgd", "--lr", "0.1", "--epochs", "6", "--json"];

    [Theory]
    [InlineData("step --lr-step 2 --lr-gamma 0.5", new[] { 0.1, 0.1, 0.05, 0.05, 0.025, 0.025 })]
    [InlineData("multistep --lr-milestones 1,3", new[] { 0.1, 0.010000000000000002, 0.010000000000000002, 0.0010000000000000002, 0.0010000000000000002, 0.0010000000000000002 })]
    [InlineData("exponential --lr-gamma 0.5", new[] { 0.1, 0.05, 0.025, 0.0125, 0.00625, 0.003125 })]
    [InlineData("cosine --lr-min 0.01", new[] { 0.1, 0.09397114317029975, 0.07750000000000001, 0.055000000000000014, 0.032500000000000015, 0.01602885682970026 })]
    [InlineData("cosine-restarts --lr-step 2", new[] { 0.1, 0.05, 0.1, 0.05, 0.1, 0.05 })]
    [InlineData("onecycle", new[] { 0.0040000000000000036, 0.06256683057317275, 0.09914480410895689, 0.07976269045278771, 0.04449049456450984, 0.012159909781778227 })]
    [InlineData("onecycle --lr-min 0.001", new[] { 0.0040000000000000036, 0.06256683057317275, 0.09915335268127803, 0.07996498340819345, 0.045045369800343946, 0.013037962835811788 })]
    public void EachEpochsLearningRate_IsPyTorchs(string schedule, double[] expected)
    {
        var run = Train([.. SixEpochs, "--lr-schedule", .. schedule.Split(' ')]);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        double[] rates = [.. json.RootElement.GetProperty("history").EnumerateArray().Select(epoch => epoch.GetProperty("learningRate").GetDouble())];
        Assert.Equal(expected.Length, rates.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(rates[i] - expected[i]) <= 1e-12 * expected[i], $"{schedule}, epoch {i + 1}: nabla {rates[i]:R}, PyTorch {expected[i]:R}");
        Assert.Equal(schedule.Split(' ')[0], json.RootElement.GetProperty("settings").GetProperty("lrSchedule").GetProperty("kind").GetString());
    }

    [Fact]
    public void Plateau_CutsTheRateAfterEachEpochWhoseValidationLossDidNotFall()
    {
        // Patience 0: ReduceLROnPlateau cuts as soon as an epoch's validation loss is not below the best so far
        // by PyTorch's relative threshold 1e-4. Adam at a high rate makes the loss bounce, so some epochs do.
        var run = Train("--lr", "0.02", "--epochs", "12", "--json", "--lr-schedule", "plateau", "--lr-patience", "0", "--lr-gamma", "0.5");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        var history = json.RootElement.GetProperty("history").EnumerateArray().ToArray();
        double best = double.PositiveInfinity, rate = 0.02;
        int cuts = 0;
        foreach (var epoch in history)
        {
            Assert.Equal(rate, epoch.GetProperty("learningRate").GetDouble(), 1e-15);
            double loss = epoch.GetProperty("valLoss").GetDouble();
            if (loss < best * (1 - 1e-4)) best = loss;
            else (rate, cuts) = (rate * 0.5, cuts + 1);
        }
        Assert.InRange(cuts, 1, 10);
        var settings = json.RootElement.GetProperty("settings").GetProperty("lrSchedule");
        Assert.Equal(0, settings.GetProperty("patience").GetInt32());
        Assert.Equal(0.5, settings.GetProperty("gamma").GetDouble());
        Assert.Equal(0, settings.GetProperty("min").GetDouble());
    }

    [Fact]
    public void TheRate_ShowsInTheHeaderEachEpochLineAndAPanelOfThePlot()
    {
        string plot = PathOf("curves.png");
        var run = Train("--optimizer", "sgd", "--lr", "0.1", "--epochs", "3", "--lr-schedule", "step", "--lr-step", "1", "--plot", plot);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Schedule:  step (lr-step 1, lr-gamma 0.1)", run.OutputLines);
        string[] epochs = [.. run.OutputLines.Where(line => line.StartsWith("epoch ", StringComparison.Ordinal))];
        Assert.Equal(3, epochs.Length);
        Assert.Contains("  lr 0.1  ", epochs[0]);
        Assert.Contains("  lr 0.01  ", epochs[1]);
        Assert.Contains("  lr 0.001  ", epochs[2]);
        // The learning-rate panel widens the picture by half its width; a run without a schedule has none.
        Assert.Equal(1500, PngWidth(plot));
        var constant = Train("--epochs", "1", "--quiet", "--plot", PathOf("constant.png"));
        Assert.True(constant.ExitCode == 0, constant.ToString());
        Assert.Equal(1000, PngWidth(PathOf("constant.png")));
    }

    private static int PngWidth(string path) => System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(File.ReadAllBytes(path).AsSpan(16));

    [Theory]
    [InlineData(2, "--lr-step needs --lr-schedule", "--lr-step", "3")]
    [InlineData(2, "--lr-patience needs --lr-schedule", "--lr-patience", "3")]
    [InlineData(2, "--lr-milestones is for --lr-schedule multistep, not cosine", "--lr-schedule", "cosine", "--lr-milestones", "10")]
    [InlineData(2, "--lr-gamma is for --lr-schedule step or multistep or exponential or plateau, not onecycle", "--lr-schedule", "onecycle", "--lr-gamma", "0.5")]
    [InlineData(2, "--lr-min is for --lr-schedule cosine or cosine-restarts or onecycle or plateau, not step", "--lr-schedule", "step", "--lr-step", "2", "--lr-min", "0.001")]
    [InlineData(2, "--lr-schedule step needs --lr-step", "--lr-schedule", "step")]
    [InlineData(2, "--lr-schedule cosine-restarts needs --lr-step", "--lr-schedule", "cosine-restarts")]
    [InlineData(2, "--lr-schedule multistep needs --lr-milestones", "--lr-schedule", "multistep")]
    [InlineData(2, "--lr-schedule exponential needs --lr-gamma", "--lr-schedule", "exponential")]
    [InlineData(1, "--lr-schedule must be one of step, multistep, exponential, cosine, cosine-restarts, onecycle, plateau; got 'linear'", "--lr-schedule", "linear")]
    [InlineData(1, "--lr-step must be a whole number of at least 1, got 0", "--lr-schedule", "step", "--lr-step", "0")]
    [InlineData(1, "--lr-milestones must increase, such as 10,20; in '20,10' 10 comes after 20", "--lr-schedule", "multistep", "--lr-milestones", "20,10")]
    [InlineData(1, "--lr-milestones must be epochs from 1 to 29 (the last epoch before --epochs 30) separated by commas, such as 10,20; item 2 of '10,30' is '30'", "--lr-schedule", "multistep", "--lr-milestones", "10,30")]
    [InlineData(1, "item 1 of ',10' is empty", "--lr-schedule", "multistep", "--lr-milestones", ",10")]
    [InlineData(1, "--lr-gamma must be a finite number greater than 0, got 0", "--lr-schedule", "exponential", "--lr-gamma", "0")]
    [InlineData(1, "--lr-gamma must be a finite number greater than 0 and less than 1 for --lr-schedule plateau, which cuts the rate, got 1", "--lr-schedule", "plateau", "--lr-gamma", "1")]
    [InlineData(1, "--lr-min must be less than the learning rate --lr 0.002, got 0.002", "--lr-schedule", "cosine", "--lr-min", "0.002")]
    [InlineData(1, "--lr-min must be at least 0 and less than the learning rate, got -1", "--lr-schedule", "plateau", "--lr-min", "-1")]
    [InlineData(1, "--lr-min must be greater than 0 and less than the learning rate, got 0", "--lr-schedule", "onecycle", "--lr-min", "0")]
    [InlineData(1, "--lr-patience must be a whole number of at least 0, got -1", "--lr-schedule", "plateau", "--lr-patience", "-1")]
    [InlineData(1, "--lr-schedule onecycle steps once a batch, and --epochs 200000000 of 21 batches make 4200000000 steps, more than it counts (2147483647)", "--lr-schedule", "onecycle", "--epochs", "200000000", "--quiet")]
    [InlineData(1, "--lr-schedule does not apply to --optimizer lbfgs: its line search chooses the length of each step", "--optimizer", "lbfgs", "--lr-schedule", "cosine")]
    [InlineData(1, "--lr-schedule does not apply to --model ridge: it is fitted by its own solver, with no learning rate to schedule", "--model", "ridge", "--lr-schedule", "cosine")]
    [InlineData(1, "--lr-gamma does not apply to --model logistic", "--model", "logistic", "--lr-gamma", "0.5")]
    public void AParameterThatDoesNotFit_IsRefusedByName(int exitCode, string message, params string[] args)
    {
        string[] data = args.Contains("--model") ? ["--data", SharedData.PathOf("iris.csv")] : [];
        if (args.Contains("ridge")) data = ["--data", SharedData.PathOf("diabetes.csv")];
        var run = Train([.. data, .. args]);

        Assert.True(run.ExitCode == exitCode, run.ToString());
        string line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("error: ", line);
        Assert.Contains(message, line);
        Assert.Empty(run.StandardOutput);
        Assert.False(File.Exists(PathOf("model.safetensors")));
    }

    [Fact]
    public void FindLr_RefusesTheScheduleAndEarlyStopping_WhichNeedATrainingRun()
    {
        var run = ProgramRun.Start(RepositoryLayout.CliAssembly, "train", "--find-lr", "--lr-schedule", "cosine", "--early-stopping", "3");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
        [
            "error: --early-stopping does not apply with --find-lr, which only searches for a learning rate (trying its own, from 1e-7 to 10) and trains nothing; leave it out, or train with --lr auto, which searches first.",
            "error: --lr-schedule does not apply with --find-lr, which only searches for a learning rate (trying its own, from 1e-7 to 10) and trains nothing; leave it out, or train with --lr auto, which searches first.",
            "Run 'nabla train --help' for usage.",
        ], run.ErrorLines);
    }

    [Fact]
    public void LrAuto_WithOnecycle_PeaksAtTheRateItFound()
    {
        var run = Train("--lr", "auto", "--lr-schedule", "onecycle", "--epochs", "3", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = System.Text.Json.JsonDocument.Parse(run.StandardOutput);
        double found = json.RootElement.GetProperty("learningRateFinder").GetProperty("suggestedLearningRate").GetDouble();
        Assert.Equal(found, json.RootElement.GetProperty("settings").GetProperty("learningRate").GetDouble());
        // PyTorch's OneCycleLR starts at max_lr / div_factor (25).
        Assert.Equal(found / 25, json.RootElement.GetProperty("history")[0].GetProperty("learningRate").GetDouble(), 1e-12 * found);
    }

    [Fact]
    public void LrAuto_WithALowestRateAboveTheRateItFound_IsRefusedNamingBoth()
    {
        var run = Train("--lr", "auto", "--lr-schedule", "cosine", "--lr-min", "5", "--quiet");

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"^error: --lr-min must be less than the learning rate --lr auto found, 0\.\d+, got 5\.$", Assert.Single(run.ErrorLines));
        Assert.False(File.Exists(PathOf("model.safetensors")));
    }
}
