using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Nabla.Tests;
using Nabla.Training;

namespace Nabla.Cli.Tests;

/// <summary>
/// <c>nabla train --find-lr</c> and <c>--lr auto</c>, run as a process on the built-in digits: the
/// curve is the learning-rate range test (rates growing geometrically from 1e-7 to 10, losses smoothed
/// by an exponential moving average) and the suggestion its steepest fall, recomputed here from the curve;
/// <c>--lr auto</c> trains exactly as the rate it prints given by hand; a resumed <c>--lr auto</c> run keeps
/// the rate it found; and the options are refused where there is no learning rate to search for.
/// </summary>
public sealed class TrainFindLrTests : TemporaryFolder
{
    private const int Steps = 100;

    private static string Cli => RepositoryLayout.CliAssembly;

    private static ProgramRun Train(params string[] args) => ProgramRun.Start(Cli, ["train", .. args]);

    [Fact]
    public void FindLr_PrintsTheSuggestionAndTheRange_AndWritesOnlyThePlot()
    {
        string plot = PathOf("lr.png");
        var run = Train("--find-lr", "--plot", plot);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.StandardError);
        Assert.Contains("Optimizer: adam, lr searched by --find-lr, batch 64", run.OutputLines);
        Assert.DoesNotContain(run.OutputLines, line => line.StartsWith("epoch", StringComparison.Ordinal));
        string finder = Assert.Single(run.OutputLines, line => line.StartsWith("LR finder: suggests lr ", StringComparison.Ordinal));
        Assert.Matches(@"^LR finder: suggests lr [0-9.e-]+, where the loss falls fastest; it falls from lr [0-9.e-]+ to [0-9.e-]+ \(its lowest\)(, then explodes \(the search stopped there\))?; \d+ rates from 1e-7 to [0-9.e-]+ tried\.$", finder);
        string rate = finder["LR finder: suggests lr ".Length..finder.IndexOf(',', StringComparison.Ordinal)];
        Assert.Contains($"Nothing was trained and no model written; to train with it: --lr {rate} (or --lr auto, which searches the same way first).", run.OutputLines);
        Assert.Contains($"Plot saved to:   {plot}", run.OutputLines);

        byte[] png = File.ReadAllBytes(plot);
        Assert.Equal<byte>([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(1000, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(450, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        // No model file and no temporary file.
        Assert.Equal(["lr.png"], Directory.GetFiles(Folder).Select(Path.GetFileName));
        Assert.DoesNotContain(run.OutputLines, line => line.StartsWith("Model saved", StringComparison.Ordinal));
    }

    [Fact]
    public void FindLr_Json_IsTheRangeTest_AndSuggestsItsSteepestFall()
    {
        var run = Train("--find-lr", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Single(run.OutputLines);
        using var json = JsonDocument.Parse(run.StandardOutput);
        var root = json.RootElement;
        Assert.True(root.GetProperty("findLr").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("modelPath").ValueKind);
        Assert.Equal(1293, root.GetProperty("data").GetProperty("trainRows").GetInt32());
        var finder = root.GetProperty("learningRateFinder");
        double[] rates = Numbers(finder.GetProperty("learningRates"));
        double[] losses = Numbers(finder.GetProperty("losses"));
        double[] smoothed = Numbers(finder.GetProperty("smoothedLosses"));
        bool stoppedEarly = finder.GetProperty("stoppedEarly").GetBoolean();

        // On the digits the loss rises past the best rates but never by the factor 5 that stops the search.
        Assert.False(stoppedEarly);
        Assert.Equal(Steps, rates.Length);
        Assert.All(smoothed, loss => Assert.True(double.IsFinite(loss)));
        Assert.Equal(rates.Length, losses.Length);
        Assert.Equal(rates.Length, smoothed.Length);
        for (int i = 0; i < rates.Length; i++)
        {
            // 1e-7 · (10 / 1e-7)^(i / 99): a factor of 10^(8/99) a step.
            Assert.Equal(1e-7 * Math.Pow(1e8, i / (Steps - 1.0)), rates[i], 1e-12 * rates[i]);
            // The exponential moving average with weight 0.05 on each new loss, starting at the first.
            double average = i == 0 ? losses[0] : 0.05 * losses[i] + 0.95 * smoothed[i - 1];
            Assert.Equal(average, smoothed[i], 1e-9 * Math.Abs(average));
        }

        // The steepest fall of the smoothed loss (central differences) between the first tenth of the run and its lowest point.
        int lowest = Array.IndexOf(smoothed, smoothed.Min());
        int from = Math.Max(1, smoothed.Length / 10);
        Assert.True(lowest - from >= 2, $"the loss should fall over several steps; lowest at step {lowest}");
        int steepest = Enumerable.Range(from, lowest - from).MinBy(i => smoothed[i + 1] - smoothed[i - 1]);
        double suggested = finder.GetProperty("suggestedLearningRate").GetDouble();
        Assert.Equal(double.Parse(rates[steepest].ToString("G2", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), suggested);
        Assert.InRange(suggested / rates[steepest], 0.95, 1.05);

        // The range where the loss falls: from a tenth of its fall to its lowest.
        double threshold = smoothed[0] - 0.1 * (smoothed[0] - smoothed[lowest]);
        Assert.Equal(rates[Array.FindIndex(smoothed, loss => loss <= threshold)], finder.GetProperty("fallsFrom").GetDouble());
        Assert.Equal(rates[lowest], finder.GetProperty("fallsTo").GetDouble());
        // Too low a rate leaves the loss where it started (ln 10 for ten balanced classes); the suggestion is well below the explosion.
        Assert.InRange(smoothed[0], 2.0, 2.6);
        Assert.InRange(suggested, 1e-4, 1);
    }

    [Fact]
    public void LrAuto_TrainsBitForBitAsTheRateItPrints_AndTheModelFileSaysItWasFound()
    {
        string auto = PathOf("auto.safetensors"), byHand = PathOf("by-hand.safetensors");
        var run = Train("--lr", "auto", "--epochs", "3", "--out", auto);

        Assert.True(run.ExitCode == 0, run.ToString());
        string header = Assert.Single(run.OutputLines, line => line.StartsWith("Optimizer: ", StringComparison.Ordinal));
        Assert.Matches(@"^Optimizer: adam, lr [0-9.e-]+ \(found by --lr auto\), batch 64, 3 epochs$", header);
        string rate = header["Optimizer: adam, lr ".Length..header.IndexOf(' ', "Optimizer: adam, lr ".Length)];
        Assert.Single(run.OutputLines, line => line.StartsWith($"LR finder: suggests lr {rate}, ", StringComparison.Ordinal));
        Assert.Equal(3, run.OutputLines.Count(line => line.StartsWith("epoch ", StringComparison.Ordinal)));
        using (var training = JsonDocument.Parse(SafetensorsHeader.Read(auto).Metadata["training"]))
        {
            Assert.Equal(rate, training.RootElement.GetProperty("learning_rate").GetString());
            Assert.Equal("--lr auto", training.RootElement.GetProperty("learning_rate_found_by").GetString());
        }

        // The finder puts back the weights, the optimizer and the batches' order, so the search leaves no trace.
        var given = Train("--lr", rate, "--epochs", "3", "--quiet", "--out", byHand);
        Assert.True(given.ExitCode == 0, given.ToString());
        AssertSameWeights(byHand, auto);
        using var byHandTraining = JsonDocument.Parse(SafetensorsHeader.Read(byHand).Metadata["training"]);
        Assert.False(byHandTraining.RootElement.TryGetProperty("learning_rate_found_by", out _));
    }

    [Fact]
    public void LrAuto_Json_HasTheFinderAndTheRateItTrainedWith()
    {
        var run = Train("--lr", "auto", "--epochs", "1", "--json", "--out", PathOf("model.safetensors"));

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        var settings = json.RootElement.GetProperty("settings");
        Assert.Equal("--lr auto", settings.GetProperty("learningRateFoundBy").GetString());
        var finder = json.RootElement.GetProperty("learningRateFinder");
        Assert.Equal(finder.GetProperty("suggestedLearningRate").GetDouble(), settings.GetProperty("learningRate").GetDouble());
        Assert.Equal(Steps, finder.GetProperty("learningRates").GetArrayLength());
        Assert.Single(json.RootElement.GetProperty("history").EnumerateArray());
    }

    [Fact]
    public void LrAuto_KilledAndResumed_KeepsTheRateItFound_AndEndsAsAnUninterruptedRun()
    {
        string checkpoints = PathOf("checkpoints"), resumed = PathOf("resumed.safetensors"), straight = PathOf("straight.safetensors");
        string[] settings(string folder, string model) => ["train", "--lr", "auto", "--epochs", "200", "--checkpoint-dir", folder, "--out", model];
        string checkpoint = Path.Combine(checkpoints, CheckpointCallback.FileName);
        using (var process = ProgramRun.StartInBackground(Cli, [.. settings(checkpoints, resumed), "--quiet"]))
        {
            TrainCheckpointTests.WaitForEpoch(checkpoint, process, atLeast: 2);
            process.Kill();
            process.WaitForExit();
        }
        var saved = TrainingCheckpoint.Load(checkpoint);
        Assert.InRange(saved.Epoch, 2, 199);
        Assert.Equal("auto", saved.Run["lr"]);
        string found = saved.Run["lr_found"];

        var resume = ProgramRun.Start(Cli, [.. settings(checkpoints, resumed), "--resume", "--json"]);
        var uninterrupted = ProgramRun.Start(Cli, [.. settings(PathOf("straight"), straight), "--quiet"]);

        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.ToString());
        using var json = JsonDocument.Parse(resume.StandardOutput);
        // No second search: it would run on the restored weights and could find another rate.
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("learningRateFinder").ValueKind);
        Assert.Equal(double.Parse(found, CultureInfo.InvariantCulture), json.RootElement.GetProperty("settings").GetProperty("learningRate").GetDouble());
        Assert.Equal("--lr auto", json.RootElement.GetProperty("settings").GetProperty("learningRateFoundBy").GetString());
        using var training = JsonDocument.Parse(SafetensorsHeader.Read(resumed).Metadata["training"]);
        Assert.Equal(found, training.RootElement.GetProperty("learning_rate").GetString());
        AssertSameWeights(straight, resumed);
    }

    [Fact]
    public void Resume_WithAnotherLrThanTheCheckpoints_IsRefusedNamingIt()
    {
        string checkpoints = PathOf("checkpoints"), numbered = PathOf("numbered");
        string[] common = ["--epochs", "1", "--quiet", "--out", PathOf("model.safetensors")];
        Assert.Equal(0, Train([.. common, "--lr", "auto", "--checkpoint-dir", checkpoints]).ExitCode);
        Assert.Equal(0, Train([.. common, "--lr", "0.01", "--checkpoint-dir", numbered]).ExitCode);

        var given = Train([.. common, "--lr", "0.01", "--checkpoint-dir", checkpoints, "--resume"]);
        var auto = Train([.. common, "--lr", "auto", "--checkpoint-dir", numbered, "--resume"]);

        Assert.Equal(1, given.ExitCode);
        Assert.Contains("lr is \"0.01\" now but \"auto\" in the checkpoint", Assert.Single(given.ErrorLines));
        Assert.Equal(1, auto.ExitCode);
        Assert.Contains("--lr auto resumes a run that found its rate, but the checkpoint (after epoch 1) was saved by a run with --lr 0.01; resume with the same --lr, or start afresh.", Assert.Single(auto.ErrorLines));
    }

    [Theory]
    [InlineData("--find-lr")]
    [InlineData("--lr", "auto")]
    public void Lbfgs_HasNoLearningRateToSearchFor(params string[] option)
    {
        var run = Train([.. option, "--optimizer", "lbfgs"]);

        Assert.True(run.ExitCode == 1, run.ToString());
        string line = Assert.Single(run.ErrorLines);
        Assert.StartsWith($"error: {string.Join(' ', option)} does not apply to --optimizer lbfgs: it chooses its own step lengths by a line search", line);
        Assert.Empty(run.StandardOutput);
    }

    [Theory]
    [InlineData("logistic", "--find-lr", "--find-lr does not apply to --model logistic: it is fitted by its own solver, with no learning rate to search for")]
    [InlineData("ridge", "--lr auto", "--lr does not apply to --model ridge: it is fitted by its own solver")]
    public void LinearModels_AreRefusedByName(string model, string option, string message)
    {
        var run = Train(["--model", model, .. option.Split(' ')]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith($"error: {message}", Assert.Single(run.ErrorLines));
        Assert.Empty(run.StandardOutput);
    }

    [Theory]
    [InlineData("--lr", "0.01")]
    [InlineData("--lr", "auto")]
    [InlineData("--out", "model.safetensors")]
    [InlineData("--epochs", "3")]
    [InlineData("--checkpoint-dir", "runs")]
    [InlineData("--diagnose")]
    public void FindLr_RefusesWhatOnlyTrainingUses(params string[] option)
    {
        var run = Train(["--find-lr", .. option]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal($"error: {option[0]} does not apply with --find-lr, which only searches for a learning rate (trying its own, from 1e-7 to 10) and trains nothing; leave it out, or train with --lr auto, which searches first.", run.ErrorLines[0]);
        Assert.Empty(run.StandardOutput);
    }

    [Theory]
    [InlineData("automatic")]
    [InlineData("0,01")]
    public void Lr_TakesANumberOrAuto(string text)
    {
        var run = Train("--lr", text);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal($"error: --lr must be a number written with a dot for decimals and no thousands separators, such as 0.001 or 1e-3, or auto (found by the learning-rate finder); got '{text}'.", run.ErrorLines[0]);
    }

    [Fact]
    public void Help_DescribesTheOptions()
    {
        var run = Train("--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("--find-lr", run.StandardOutput);
        Assert.Contains("--diagnose", run.StandardOutput);
        Assert.Contains("--lr <RATE|auto>", run.StandardOutput);
    }

    private static double[] Numbers(JsonElement array) =>
        [.. array.EnumerateArray().Select(value => value.ValueKind == JsonValueKind.Null ? double.NaN : value.GetDouble())];

    private static void AssertSameWeights(string expected, string actual)
    {
        var a = SafetensorsHeader.Read(expected).Data;
        var b = SafetensorsHeader.Read(actual).Data;
        Assert.Equal(a.Keys.Order(StringComparer.Ordinal), b.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in a) Assert.True(bytes.AsSpan().SequenceEqual(b[name]), $"tensor {name} differs");
    }
}
