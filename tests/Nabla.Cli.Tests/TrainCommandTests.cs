using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nabla.Tests;

namespace Nabla.Cli.Tests;

/// <summary>
/// <c>nabla train</c>, run as a process: the default job (an MLP on the built-in digits), its
/// output modes, its files, and its errors. Runs other than the default one train for few epochs.
/// </summary>
public sealed partial class TrainCommandTests : TemporaryFolder
{
    private static string Cli => RepositoryLayout.CliAssembly;

    private ProgramRun Train(params string[] args) => ProgramRun.Start(Cli, ["train", .. args]);

    [Fact]
    public void DefaultJob_ReachesTestAccuracy097_AndWritesAReadableModel()
    {
        string model = PathOf("model.safetensors");
        var run = Train("--out", model);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.StandardError);
        Assert.StartsWith("Data:      built-in digits, 1797 rows × 64 features, 10 classes", run.OutputLines[0]);
        Assert.Contains(run.OutputLines, line => line.StartsWith("Model:     mlp 64 → 128 → 64 → 10 (relu)", StringComparison.Ordinal));
        Assert.Contains(run.OutputLines, line => line.StartsWith("Optimizer: adam, lr 0.002, batch 64, 30 epochs", StringComparison.Ordinal));
        var epochs = run.OutputLines.Where(line => line.StartsWith("epoch ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(30, epochs.Length);
        Assert.All(epochs, line => Assert.Matches(EpochLine(), line));

        double accuracy = run.SummaryValue("Test accuracy");
        Assert.True(accuracy >= 0.97, $"test accuracy {accuracy} < 0.97\n{run}");
        Assert.InRange(run.SummaryValue("Macro F1"), 0.95, 1);
        Assert.Contains($"Model saved to:  {model}", run.OutputLines);

        var header = SafetensorsHeader.Read(model);
        Assert.Equal([128, 64], header.Tensors["0.weight"].Shape);
        Assert.Equal([64, 128], header.Tensors["2.weight"].Shape);
        Assert.Equal([10, 64], header.Tensors["4.weight"].Shape);
        Assert.Equal([10], header.Tensors["4.bias"].Shape);
        Assert.Equal(6, header.Tensors.Count);
        Assert.Equal("[\"0\",\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]", header.Metadata["classes"]);
        Assert.Equal("classification", header.Metadata["task"]);
        using var training = JsonDocument.Parse(header.Metadata["training"]);
        Assert.Equal("mlp", training.RootElement.GetProperty("model").GetString());
        Assert.Equal("30", training.RootElement.GetProperty("epochs_run").GetString());
        // The digits go through the same tabular preparation as any CSV file, so predicting from digits.csv needs nothing else.
        using var preprocessing = JsonDocument.Parse(header.Metadata["preprocessing"]);
        Assert.Equal("tabular", preprocessing.RootElement.GetProperty("kind").GetString());
        Assert.Equal("digit", preprocessing.RootElement.GetProperty("target").GetString());
        using var metrics = JsonDocument.Parse(header.Metadata["metrics"]);
        Assert.Equal(accuracy, Math.Round(metrics.RootElement.GetProperty("accuracy").GetDouble(), 4));   // shown to four decimals
    }

    [Fact]
    public void Json_IsOneObjectWithDataModelSettingsHistoryAndTestMetrics()
    {
        string model = PathOf("model.safetensors");
        var run = Train("--json", "--epochs", "2", "--out", model);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Single(run.OutputLines);
        using var json = JsonDocument.Parse(run.StandardOutput);
        var root = json.RootElement;
        var data = root.GetProperty("data");
        Assert.Equal("digits", data.GetProperty("name").GetString());
        Assert.Equal(1797, data.GetProperty("rows").GetInt32());
        Assert.Equal(360, data.GetProperty("testRows").GetInt32());
        Assert.Equal(1437, data.GetProperty("trainRows").GetInt32() + data.GetProperty("validationRows").GetInt32());
        Assert.Equal("mlp", root.GetProperty("model").GetProperty("kind").GetString());
        // 64·128 + 128 + 128·64 + 64 + 64·10 + 10 weights and biases.
        Assert.Equal(17226, root.GetProperty("model").GetProperty("parameters").GetInt64());
        var settings = root.GetProperty("settings");
        Assert.Equal("adam", settings.GetProperty("optimizer").GetString());
        Assert.Equal(2, settings.GetProperty("epochs").GetInt32());
        Assert.Equal(0.002, settings.GetProperty("learningRate").GetDouble());

        var history = root.GetProperty("history").EnumerateArray().ToArray();
        Assert.Equal([1, 2], history.Select(e => e.GetProperty("epoch").GetInt32()));
        Assert.All(history, e => Assert.InRange(e.GetProperty("valAccuracy").GetDouble(), 0, 1));
        Assert.True(history[1].GetProperty("loss").GetDouble() < history[0].GetProperty("loss").GetDouble(), run.StandardOutput);

        var test = root.GetProperty("test");
        foreach (string metric in new[] { "accuracy", "f1_macro", "precision_macro", "recall_macro", "f1_weighted" })
            Assert.InRange(test.GetProperty(metric).GetDouble(), 0.1, 1);
        Assert.Equal(model, root.GetProperty("modelPath").GetString());
        Assert.True(File.Exists(model));
        Assert.True(root.GetProperty("seconds").GetDouble() > 0);
    }

    [Fact]
    public void Quiet_PrintsOnlyTheFinalSummary()
    {
        var run = Train("--quiet", "--epochs", "1", "--out", PathOf("model.safetensors"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["Test accuracy:", "Macro F1:", "Macro precision:", "Macro recall:", "Weighted F1:", "Training time:", "Model saved to:", "Run log:"],
            run.OutputLines.Select(line => line[..(line.IndexOf(':') + 1)]));
    }

    [Fact]
    public void Plot_WritesAPngOfTheChosenSize_AndNoTemporaryFile()
    {
        string plot = PathOf("curves.png");
        var run = Train("--quiet", "--epochs", "2", "--out", PathOf("model.safetensors"), "--plot", plot);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"Plot saved to:   {plot}", run.OutputLines);
        byte[] png = File.ReadAllBytes(plot);
        Assert.Equal<byte>([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(1000, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(450, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.Equal(["curves.png", "model.safetensors"], Directory.GetFiles(Folder).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Cnn_TrainsOnTheDigitsAsImages()
    {
        string model = PathOf("cnn.safetensors");
        var run = Train("--model", "cnn", "--epochs", "1", "--json", "--out", model);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        Assert.StartsWith("1×8×8 → conv 3×3", json.RootElement.GetProperty("model").GetProperty("architecture").GetString());
        Assert.Equal([16, 1, 3, 3], SafetensorsHeader.Read(model).Tensors["0.weight"].Shape);
    }

    [Fact]
    public void Seed_FixesTheModelBitForBit_AndChangingItChangesIt()
    {
        // The tensors, not the file: its metadata records the training time.
        byte[] Weights(string seed)
        {
            string model = PathOf($"seed{seed}-{Guid.NewGuid():N}.safetensors");
            var run = Train("--quiet", "--epochs", "1", "--seed", seed, "--out", model);
            Assert.True(run.ExitCode == 0, run.ToString());
            return [.. SafetensorsHeader.Read(model).Data.OrderBy(t => t.Key, StringComparer.Ordinal).SelectMany(t => t.Value)];
        }

        Assert.Equal(Weights("7"), Weights("7"));
        Assert.NotEqual(Weights("7"), Weights("8"));
    }

    [Theory]
    [InlineData("--lr", "0")]
    [InlineData("--lr", "-0.5")]
    [InlineData("--lr", "NaN")]
    [InlineData("--epochs", "0")]
    [InlineData("--epochs", "-3")]
    [InlineData("--batch-size", "0")]
    [InlineData("--test-split", "1.5")]
    [InlineData("--test-split", "0")]
    [InlineData("--model", "forest")]
    [InlineData("--model", "linear")]
    [InlineData("--optimizer", "newton")]
    [InlineData("--alpha", "-1")]
    [InlineData("--impute", "median")]
    [InlineData("--activation", "swish")]
    [InlineData("--task", "ranking")]
    [InlineData("--task", "regression")]
    [InlineData("--hidden", "128,,x")]
    [InlineData("--hidden", "0")]
    [InlineData("--plot", "curves.jpg")]
    [InlineData("--data", "sales.csv")]
    [InlineData("--checkpoint-dir", "")]
    [InlineData("--checkpoint-dir", " ")]
    [InlineData("--clip-grad-norm", "0")]
    [InlineData("--clip-grad-norm", "-1")]
    [InlineData("--clip-grad-norm", "Infinity")]
    public void InvalidValue_IsOneLineNamingTheOption_ExitCode1(string option, string value)
    {
        var run = Train(option, value, "--out", PathOf("model.safetensors"));

        AssertOneErrorLine(run, 1, option);
    }

    [Theory]
    [InlineData("--out")]
    [InlineData("--plot")]
    public void MissingFolder_IsReportedBeforeTraining(string option)
    {
        string missing = Path.Combine(Folder, "missing", option == "--out" ? "model.safetensors" : "curves.png");
        string[] args = option == "--out" ? ["--out", missing] : ["--out", PathOf("model.safetensors"), "--plot", missing];
        var run = Train(args);

        AssertOneErrorLine(run, 1, option);
        Assert.Contains(Path.Combine(Folder, "missing"), run.StandardError);
        Assert.Empty(Directory.GetFileSystemEntries(Folder));
    }

    [Fact]
    public void ReadOnlyOutFile_IsRefusedBeforeTraining_AndKeptAsItWas()
    {
        string model = PathOf("model.safetensors");
        File.WriteAllText(model, "keep me");
        File.SetAttributes(model, FileAttributes.ReadOnly);

        var run = Train("--out", model);

        AssertOneErrorLine(run, 1, $"--out '{model}' is a read-only file; give another path, or make it writable (chmod u+w) to replace it.");
        Assert.Equal("keep me", File.ReadAllText(model));
        Assert.Equal([model], Directory.GetFileSystemEntries(Folder));
    }

    [Theory]
    [InlineData("--resume", "--resume")]
    [InlineData("--target", "--target", "price")]
    public void OptionWithoutTheOneItNeeds_IsAUsageError(string option, params string[] args)
    {
        var run = Train(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error:", run.ErrorLines[0]);
        Assert.Contains(option, run.ErrorLines[0]);
        Assert.Equal("Run 'nabla train --help' for usage.", run.ErrorLines[^1]);
        Assert.Empty(run.StandardOutput);
    }

    [Theory]
    [InlineData("--lr", "0,001")]
    [InlineData("--lr", "1,,2")]
    [InlineData("--alpha", "1,5")]
    [InlineData("--test-split", "0,2")]
    public void NumberWithAGroupSeparator_IsAUsageError_NotAThousandfoldValue(string option, string value)
    {
        // The parser's default reading took "0,001" for 1 and "1,,2" for 12 and trained with it.
        var run = Train(option, value, "--quiet", "--out", PathOf("model.safetensors"));

        Assert.True(run.ExitCode == 2, run.ToString());
        string orAuto = option == "--lr" ? ", or auto (found by the learning-rate finder)" : "";
        Assert.Equal($"error: {option} must be a number written with a dot for decimals and no thousands separators, such as 0.001 or 1e-3{orAuto}; got '{value}'.", run.ErrorLines[0]);
        Assert.Equal("Run 'nabla train --help' for usage.", run.ErrorLines[^1]);
        Assert.Empty(run.StandardOutput);
        Assert.False(File.Exists(PathOf("model.safetensors")));
    }

    [Fact]
    public void OneEpoch_IsSaidInTheSingular()
    {
        var run = Train("--data", SharedData.PathOf("iris.csv"), "--epochs", "1", "--out", PathOf("model.safetensors"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.OutputLines, line => line.StartsWith("Optimizer:", StringComparison.Ordinal) && line.EndsWith(", 1 epoch", StringComparison.Ordinal));
        Assert.DoesNotContain("1 epochs", run.StandardOutput);
    }

    [Fact]
    public void AnOptionGivenTwice_IsAUsageError_NotACrash()
    {
        // The parser reported it, then the command's own checks read the option and crashed (exit 134).
        string iris = SharedData.PathOf("iris.csv");
        var run = Train("--data", iris, "--data", iris, "--quiet", "--out", PathOf("model.safetensors"));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("error: Option '--data' expects a single argument but 2 were provided.", run.ErrorLines[0]);
    }

    [Theory]
    [InlineData("--epochs", "1,000", "--epochs must be a whole number, such as 30; got '1,000'.")]
    [InlineData("--epochs", "inf", "--epochs must be a whole number, such as 30; got 'inf'.")]
    [InlineData("--batch-size", "2147483648", "--batch-size must be from -2147483648 to 2147483647; got '2147483648'.")]
    [InlineData("--seed", "-1", "--seed must be from 0 to 18446744073709551615; got '-1'.")]
    public void WholeNumberOptions_NameTheOptionAndTheText_NotADotNetType(string option, string value, string expected)
    {
        // The parser's default message was "Cannot parse argument 'inf' for option '--epochs' as expected type 'System.Int32'."
        var run = Train(option, value, "--quiet", "--out", PathOf("model.safetensors"));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal($"error: {expected}", run.ErrorLines[0]);
        Assert.False(File.Exists(PathOf("model.safetensors")));
    }

    [Fact]
    public void CheckpointDirThatIsAFile_IsRefusedBeforeTraining()
    {
        string file = PathOf("notes.txt");
        File.WriteAllText(file, "keep me");

        var run = Train("--checkpoint-dir", file, "--epochs", "1", "--out", PathOf("model.safetensors"));

        AssertOneErrorLine(run, 1, "--checkpoint-dir");
        Assert.Contains("is a file; give a folder", run.StandardError);
        Assert.Equal("keep me", File.ReadAllText(file));
        Assert.False(File.Exists(PathOf("model.safetensors")));
    }

    [Fact]
    public void DivergingLearningRate_StopsNamingTheEpoch()
    {
        var run = Train("--optimizer", "sgd", "--lr", "1e30", "--quiet", "--out", PathOf("model.safetensors"));

        Assert.True(run.ExitCode == 1, run.ToString());
        var line = Assert.Single(run.ErrorLines);
        Assert.Matches(@"^error: training diverged: .* in epoch 1\b", line);
        // The advice names the command's options, not the library's Trainer.ClipGradNorm.
        Assert.Contains("Lower --lr (try 1e+29), or clip the gradients (--clip-grad-norm 1)", line);
        Assert.DoesNotContain("Trainer.", line);
        Assert.DoesNotContain(" at Nabla", run.StandardError);
        Assert.False(File.Exists(PathOf("model.safetensors")));
    }

    [Fact]
    public void ClipGradNorm_StepsARunThatDivergesWithout()
    {
        // Plain SGD at rate 10 on the built-in digits: unclipped the loss overflows within ten steps;
        // clipped to a norm of 0.1, no step moves the weights more than 1, and the network learns.
        string[] settings = ["--optimizer", "sgd", "--lr", "10", "--epochs", "2", "--quiet"];
        var diverging = Train([.. settings, "--out", PathOf("a.safetensors")]);
        var clipped = Train([.. settings, "--clip-grad-norm", "0.1", "--out", PathOf("b.safetensors")]);

        Assert.True(diverging.ExitCode == 1, diverging.ToString());
        Assert.Contains("Lower --lr (try 1), or clip the gradients (--clip-grad-norm 1)", diverging.StandardError);
        Assert.True(clipped.ExitCode == 0, clipped.ToString());
        Assert.True(clipped.SummaryValue("Test accuracy") > 0.5, clipped.ToString());
    }

    [Theory]
    [InlineData("--model", "ridge", "it is fitted by its own solver, with no gradient steps to clip")]
    [InlineData("--optimizer", "lbfgs", "its line search needs the true gradients of the loss")]
    public void ClipGradNorm_IsRefusedWhereThereIsNothingToClip(string option, string value, string why)
    {
        var run = Train(option, value, "--clip-grad-norm", "1", "--out", PathOf("model.safetensors"));

        AssertOneErrorLine(run, 1, "--clip-grad-norm");
        Assert.Contains(why, run.StandardError);
    }

    [Fact]
    public void Verbose_AddsTheStackTrace()
    {
        string ragged = PathOf("ragged.csv");
        File.WriteAllText(ragged, "a,b,c\n1,2,3\n4,5\n");
        var run = Train("--data", ragged, "--target", "c", "--quiet", "--verbose", "--out", PathOf("model.safetensors"));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith($"error: {ragged}, line 3", run.ErrorLines[0]);
        Assert.Contains(" at Nabla.", run.StandardError);
    }

    [Theory]
    [InlineData("train", "--bogus")]
    [InlineData("train", "--lr", "abc")]
    [InlineData("train", "--epochs", "1.5")]
    [InlineData("train", "--lr")]
    public void UsageError_ExitCode2_PointsToHelp(params string[] args)
    {
        var run = ProgramRun.Start(Cli, args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error:", run.ErrorLines[0]);
        Assert.Equal("Run 'nabla train --help' for usage.", run.ErrorLines[^1]);
        Assert.DoesNotContain(" at ", run.StandardError);
    }

    [Fact]
    public void Help_ListsEveryOption()
    {
        var run = Train("--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (string option in new[] { "--data", "--target", "--model", "--task", "--hidden", "--activation", "--optimizer", "--lr",
                     "--batch-size", "--epochs", "--test-split", "--impute", "--alpha", "--seed", "--out", "--plot", "--checkpoint-dir", "--resume", "--json", "--quiet", "--verbose", "--memory-limit" })
            Assert.Contains(option, run.StandardOutput);
        Assert.Contains("leaky_relu", run.StandardOutput);
        Assert.Contains("LinearSvc", run.StandardOutput);
    }

    [Theory]
    [InlineData("logistic", "--optimizer", "adam", "it is fitted by its own solver")]
    [InlineData("ridge", "--lr", "0.1", "it is fitted by its own solver")]
    [InlineData("svm", "--batch-size", "32", "all the training rows at once")]
    [InlineData("svm", "--hidden", "10", "no hidden layers")]
    [InlineData("logistic", "--activation", "tanh", "no hidden layers")]
    [InlineData("logistic", "--plot", "curves.png", "no epochs to draw")]
    [InlineData("ridge", "--checkpoint-dir", "runs", "no epochs to checkpoint")]
    [InlineData("ridge", "--epochs", "5", "solved exactly")]
    [InlineData("linear", "--alpha", "2", "no penalty (ridge has)")]
    [InlineData("svm", "--alpha", "0", "without a penalty")]
    [InlineData("ridge", "--memory-limit", "1GB", "no layers of activations for the limit to bound")]
    public void LinearModel_RefusesWhatOnlyTheNetworksUse_NamingTheOption(string model, string option, string value, string why)
    {
        string data = SharedData.PathOf(model is "linear" or "ridge" ? "diabetes.csv" : "iris.csv");

        var run = Train("--data", data, "--model", model, option, value, "--out", PathOf("model.safetensors"));

        AssertOneErrorLine(run, 1, option);
        Assert.Contains(why, run.StandardError);
        Assert.False(File.Exists(PathOf("model.safetensors")));
    }

    [Fact]
    public void Logistic_StoppedAtItsIterationLimit_WarnsAndStillSaves()
    {
        string model = PathOf("model.safetensors");

        var run = Train("--data", SharedData.PathOf("breast_cancer.csv"), "--model", "logistic", "--epochs", "2", "--quiet", "--out", model);

        Assert.True(run.ExitCode == 0, run.ToString());
        var warning = Assert.Single(run.ErrorLines);
        Assert.StartsWith("warning: --model logistic stopped at its limit of 2 iterations", warning);
        Assert.Contains("raise --epochs", warning);
        Assert.True(File.Exists(model));
    }

    private static void AssertOneErrorLine(ProgramRun run, int exitCode, string option)
    {
        Assert.True(run.ExitCode == exitCode, run.ToString());
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith($"error: {option}", line);
        Assert.Empty(run.StandardOutput);
    }

    // A loss below 0.001 is shown with an exponent (9.553e-04), where four decimals would round it away.
    [GeneratedRegex(@"^epoch +\d+/30  loss (?:\d+\.\d{4}|\d\.\d{1,3}e-\d\d)  val loss \d+\.\d{4}  val acc [01]\.\d{4}  lr 0\.002  \d+\.\d{2} s$")]
    private static partial Regex EpochLine();
}
