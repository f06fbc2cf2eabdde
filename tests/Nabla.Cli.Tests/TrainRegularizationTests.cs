using System.Globalization;
using System.Text.Json;
using Nabla.Data;
using Nabla.Models;
using Nabla.Tests;

namespace Nabla.Cli.Tests;

/// <summary>
/// The options of <c>nabla train</c> that steady or regularise a network, run as a process:
/// <c>--clip-grad-value</c>, <c>--weight-decay</c>, <c>--dropout</c>, <c>--batch-norm</c> and
/// <c>--early-stopping</c>; what each does, what the model file and the other commands make of it, and
/// where each is refused by name.
/// </summary>
public sealed class TrainRegularizationTests : TemporaryFolder
{
    private static ProgramRun Nabla(params string[] args) => ProgramRun.Start(RepositoryLayout.CliAssembly, args);

    private ProgramRun Train(params string[] args) => Nabla(["train", .. args]);

    [Fact]
    public void ClipGradValue_StepsARunThatDivergesWithout()
    {
        // Plain SGD at rate 10 on the built-in digits overflows within a few steps (TrainCommandTests);
        // with each gradient element clamped to 0.001, no weight moves more than 0.01 a step, and the network learns.
        var run = Train("--optimizer", "sgd", "--lr", "10", "--epochs", "2", "--quiet", "--clip-grad-value", "0.001", "--out", PathOf("model.safetensors"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.SummaryValue("Test accuracy") > 0.9, run.ToString());
    }

    [Fact]
    public void AWeightDecayThatDiverges_IsNamedInTheAdvice()
    {
        // sgd's L2 term adds 1e308 × w to each gradient: the first step throws the weights to infinity.
        var run = Train("--optimizer", "sgd", "--weight-decay", "1e308", "--epochs", "2", "--quiet", "--out", PathOf("model.safetensors"));

        Assert.Equal(1, run.ExitCode);
        string line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("error: training diverged: ", line);
        Assert.EndsWith(", or clip the gradients (--clip-grad-norm 1), or lower --weight-decay (1e+308 now), and check that the data's columns are on sensible scales and free of NaN.", line);
        Assert.False(File.Exists(PathOf("model.safetensors")));
    }

    [Theory]
    [InlineData("--clip-grad-value", "0", 1, "--clip-grad-value must be a finite number greater than 0, got 0")]
    [InlineData("--clip-grad-value", "Infinity", 1, "--clip-grad-value must be a finite number greater than 0, got Infinity")]
    [InlineData("--weight-decay", "-0.1", 1, "--weight-decay must be a finite number of at least 0, got -0.1")]
    [InlineData("--dropout", "1", 1, "--dropout must be a probability from 0 to less than 1, got 1")]
    [InlineData("--dropout", "-0.2", 1, "--dropout must be a probability from 0 to less than 1, got -0.2")]
    [InlineData("--early-stopping", "0", 1, "--early-stopping must be a whole number of epochs of at least 1, got 0")]
    [InlineData("--early-stopping", "two", 2, "--early-stopping must be a whole number, such as 30; got 'two'")]
    public void AValueOutOfRange_IsOneLineNamingTheOption(string option, string value, int exitCode, string message)
    {
        var run = Train(option, value, "--out", PathOf("model.safetensors"));

        Assert.True(run.ExitCode == exitCode, run.ToString());
        // A value that does not parse is a usage error, whose message the parser follows with where to find the usage.
        Assert.Contains(message, run.ErrorLines[0]);
        Assert.Equal(exitCode == 2 ? 2 : 1, run.ErrorLines.Length);
        Assert.False(File.Exists(PathOf("model.safetensors")));
    }

    [Theory]
    [InlineData("--clip-grad-value", "1", "--model", "ridge", "--clip-grad-value does not apply to --model ridge: it is fitted by its own solver, with no gradient steps to clip")]
    [InlineData("--weight-decay", "0.1", "--model", "ridge", "--weight-decay does not apply to --model ridge: it is fitted by its own solver; its L2 penalty is --alpha")]
    [InlineData("--dropout", "0.2", "--model", "ridge", "--dropout does not apply to --model ridge: it has no hidden layers")]
    [InlineData("--batch-norm", null, "--model", "ridge", "--batch-norm does not apply to --model ridge: it has no hidden layers")]
    [InlineData("--early-stopping", "3", "--model", "ridge", "--early-stopping does not apply to --model ridge: it is fitted to the optimum of its loss")]
    [InlineData("--clip-grad-value", "1", "--optimizer", "lbfgs", "--clip-grad-value does not apply to --optimizer lbfgs: its line search needs the true gradients of the loss")]
    [InlineData("--weight-decay", "0.1", "--optimizer", "lbfgs", "--weight-decay does not apply to --optimizer lbfgs: the library's L-BFGS has no weight decay")]
    [InlineData("--dropout", "0.2", "--optimizer", "lbfgs", "--dropout does not apply to --optimizer lbfgs: its line search needs the same loss each time it measures it")]
    [InlineData("--dropout", "0.2", "--model", "cnn", "--dropout does not apply to --model cnn: its architecture is fixed (two convolution and pooling stages, then one linear layer) and has no dropout layer")]
    [InlineData("--batch-norm", null, "--model", "cnn", "--batch-norm does not apply to --model cnn: its architecture is fixed (two convolution and pooling stages, then one linear layer) and has no batch normalisation layer")]
    public void AnOptionThatDoesNotApply_IsRefusedByName(string option, string? value, string other, string otherValue, string message)
    {
        string[] data = otherValue == "ridge" ? ["--data", SharedData.PathOf("diabetes.csv")] : [];
        var run = Train([.. data, option, .. value is null ? Array.Empty<string>() : [value], other, otherValue, "--out", PathOf("model.safetensors")]);

        Assert.True(run.ExitCode == 1, run.ToString());
        string line = Assert.Single(run.ErrorLines);
        Assert.StartsWith($"error: {option}", line);
        Assert.Contains(message, line);
        Assert.Empty(run.StandardOutput);
    }

    [Fact]
    public void WeightDecay_WithAdamIsAdamW_AndShrinksTheWeights()
    {
        var plain = Train("--epochs", "3", "--json", "--out", PathOf("plain.safetensors"));
        var decayed = Train("--epochs", "3", "--weight-decay", "0.5", "--out", PathOf("decayed.safetensors"));

        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.True(decayed.ExitCode == 0, decayed.ToString());
        Assert.Contains("Optimizer: adamw, lr 0.002, weight decay 0.5, batch 64, 3 epochs", decayed.OutputLines);
        using (var training = JsonDocument.Parse(SafetensorsHeader.Read(PathOf("decayed.safetensors")).Metadata["training"]))
        {
            Assert.Equal("adamw", training.RootElement.GetProperty("optimizer").GetString());
            Assert.Equal("0.5", training.RootElement.GetProperty("weight_decay").GetString());
        }
        using var json = JsonDocument.Parse(plain.StandardOutput);
        Assert.Equal(0, json.RootElement.GetProperty("settings").GetProperty("weightDecay").GetDouble());
        // Each step takes lr·0.5 of every weight away: after 3 epochs of 21 steps the first layer's weights are
        // smaller overall than without (by about (1 − 0.001)^63 for a weight the gradient leaves alone).
        Assert.True(WeightNorm(PathOf("decayed.safetensors"), "0.weight") < 0.99 * WeightNorm(PathOf("plain.safetensors"), "0.weight"));
    }

    [Theory]
    [InlineData("sgd", "sgd")]
    [InlineData("momentum", "momentum")]
    [InlineData("rmsprop", "rmsprop")]
    [InlineData("adagrad", "adagrad")]
    [InlineData("adam", "adamw")]
    public void WeightDecay_NamesTheOptimizerItBuilds(string optimizer, string built)
    {
        var run = Train("--optimizer", optimizer, "--epochs", "1", "--weight-decay", "0.01", "--json", "--out", PathOf("model.safetensors"));

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        Assert.Equal(built, json.RootElement.GetProperty("settings").GetProperty("optimizer").GetString());
        Assert.Equal(0.01, json.RootElement.GetProperty("settings").GetProperty("weightDecay").GetDouble());
    }

    private static double WeightNorm(string model, string name)
    {
        var tensor = SafetensorsHeader.Read(model).Data[name];
        double sum = 0;
        for (int i = 0; i < tensor.Length; i += 4)
        {
            double value = BitConverter.ToSingle(tensor, i);
            sum += value * value;
        }
        return Math.Sqrt(sum);
    }

    [Fact]
    public void DropoutAndBatchNorm_AreSavedAndPredictUsesTheModelInEvaluationMode()
    {
        string model = PathOf("model.safetensors"), digits = SharedData.PathOf("digits.csv");
        var train = Train("--epochs", "3", "--dropout", "0.2", "--batch-norm", "--json", "--out", model);
        Assert.True(train.ExitCode == 0, train.ToString());
        using (var json = JsonDocument.Parse(train.StandardOutput))
        {
            Assert.Equal("64 → 128 → 64 → 10 (batch norm, relu, dropout 0.2)", json.RootElement.GetProperty("model").GetProperty("architecture").GetString());
            Assert.Equal(0.2, json.RootElement.GetProperty("settings").GetProperty("dropout").GetDouble());
            Assert.True(json.RootElement.GetProperty("settings").GetProperty("batchNorm").GetBoolean());
        }

        var info = Nabla("info", model);
        Assert.True(info.ExitCode == 0, info.ToString());
        Assert.Contains(info.OutputLines, line => line.Contains("1  BatchNorm1d(128)", StringComparison.Ordinal));
        Assert.Contains(info.OutputLines, line => line.Contains("3  Dropout(p=0.2)", StringComparison.Ordinal));
        Assert.Contains(info.OutputLines, line => line.Contains("7  Dropout(p=0.2)", StringComparison.Ordinal));

        var predict = Nabla("predict", "--model", model, "--data", digits);
        Assert.True(predict.ExitCode == 0, predict.ToString());

        // The library's network from the file, in evaluation mode: no units dropped, the running statistics.
        var file = ModelFile.Load(model);
        var preprocessor = (TabularPreprocessor)Preprocessor.FromJson(file.Preprocessing!);
        var x = preprocessor.TransformFeatures(Csv.Read(digits));
        var network = file.Network!;
        float[] evaluation, training;
        using (Autograd.NoGrad())
        {
            network.Eval();
            evaluation = network.Forward(x).ToArray<float>();
            network.Train();
            training = network.Forward(x).ToArray<float>();
        }
        Assert.NotEqual(evaluation, training);
        string[] lines = predict.OutputLines;
        Assert.Equal(1798, lines.Length);
        for (int row = 0; row < 1797; row++)
        {
            double[] logits = [.. evaluation.AsSpan(row * 10, 10).ToArray().Select(v => (double)v)];
            double most = logits.Max(), sum = logits.Sum(v => Math.Exp(v - most));
            string[] fields = lines[row + 1].Split(',');
            Assert.Equal(file.Classes![Array.IndexOf(logits, most)], fields[0]);
            for (int k = 0; k < 10; k++)
                Assert.Equal(Math.Exp(logits[k] - most) / sum, double.Parse(fields[k + 1], CultureInfo.InvariantCulture), 1e-5);
        }
    }

    [Fact]
    public void EarlyStopping_StopsSaysWhy_AndKeepsTheWeightsOfTheBestEpoch()
    {
        var text = Train("--early-stopping", "2", "--out", PathOf("text.safetensors"));
        var json = Train("--early-stopping", "2", "--json", "--out", PathOf("stopped.safetensors"));

        Assert.True(json.ExitCode == 0, json.ToString());
        using var document = JsonDocument.Parse(json.StandardOutput);
        var root = document.RootElement;
        Assert.True(root.GetProperty("stoppedEarly").GetBoolean());
        int best = root.GetProperty("bestEpoch").GetInt32();
        double[] losses = [.. root.GetProperty("history").EnumerateArray().Select(epoch => epoch.GetProperty("valLoss").GetDouble())];
        Assert.Equal(Array.IndexOf(losses, losses.Min()) + 1, best);
        Assert.Equal(best + 2, losses.Length);
        Assert.InRange(losses.Length, 3, 29);
        Assert.Equal(2, root.GetProperty("settings").GetProperty("earlyStopping").GetInt32());

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("Stopping:  early, once the validation loss has not fallen for 2 epochs", text.OutputLines);
        Assert.Equal(losses.Length, text.OutputLines.Count(line => line.StartsWith("epoch ", StringComparison.Ordinal)));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture,
            $"Stopped early after epoch {losses.Length}: the validation loss has not fallen for 2 epochs; restored the weights of epoch {best}, the lowest validation loss ({losses.Min():F4})."), text.OutputLines);

        // The model saved is the one of the best epoch: a run that ends there has the same weights, bit for bit.
        var shorter = Train("--epochs", best.ToString(CultureInfo.InvariantCulture), "--quiet", "--out", PathOf("shorter.safetensors"));
        Assert.True(shorter.ExitCode == 0, shorter.ToString());
        var stoppedWeights = SafetensorsHeader.Read(PathOf("stopped.safetensors")).Data;
        foreach (var (name, bytes) in SafetensorsHeader.Read(PathOf("shorter.safetensors")).Data)
            Assert.True(bytes.AsSpan().SequenceEqual(stoppedWeights[name]), $"tensor {name} is not the weights of epoch {best}");
    }

    [Fact]
    public void WithoutEarlyStopping_TheJsonSaysNothingOfIt()
    {
        var run = Train("--epochs", "1", "--json", "--out", PathOf("model.safetensors"));

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("stoppedEarly").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("bestEpoch").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("settings").GetProperty("earlyStopping").ValueKind);
    }
}
