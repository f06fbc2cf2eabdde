using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Nabla.Tests;

namespace Nabla.Cli.Tests;

/// <summary>
/// <c>nabla train --diagnose</c>, run as a process: a deep sigmoid MLP, whose gradients shrink by the
/// sigmoid's slope (at most 1/4) at every layer toward the input, is flagged for vanishing gradients
/// with advice in the command's options; the default MLP is flagged for nothing, and its reported weight
/// norms are those of the model file it writes; in <c>--json</c> the reports are each epoch's <c>gradients</c>.
/// </summary>
public sealed class TrainDiagnoseTests : TemporaryFolder
{
    private static readonly string[] DeepSigmoid =
        ["--hidden", "64,64,64,64,64,64", "--activation", "sigmoid", "--optimizer", "sgd", "--lr", "0.01", "--epochs", "2", "--diagnose"];

    private const string VanishingAdvice =
        "Try --activation relu (or leaky_relu, gelu) instead of sigmoid, --batch-norm, fewer layers in --hidden (6 now), or --optimizer adam (it scales each weight's step to its own gradients).";

    private static string Cli => RepositoryLayout.CliAssembly;

    private ProgramRun Train(params string[] args) => ProgramRun.Start(Cli, ["train", .. args, "--out", PathOf("model.safetensors")]);

    [Fact]
    public void DeepSigmoidMlp_IsFlaggedForVanishingGradients_InTheCommandsTerms()
    {
        var run = Train(DeepSigmoid);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.StandardError);
        var lines = run.OutputLines;
        foreach (int epoch in new[] { 1, 2 })
        {
            int at = Array.FindIndex(lines, line => line.StartsWith($"epoch {epoch}/2 ", StringComparison.Ordinal));
            Assert.True(at >= 0, run.ToString());
            Assert.Matches(@"^parameter +shape +grad norm +grad RMS +update/weight$", lines[at + 1]);
            var rows = lines[(at + 2)..(at + 16)].Select(Row).ToArray();
            Assert.Equal(Enumerable.Range(0, 7).SelectMany(layer => new[] { $"{2 * layer}.weight", $"{2 * layer}.bias" }), rows.Select(r => r.Name));
            foreach (var row in rows) Assert.Equal(row.Norm / Math.Sqrt(row.Count), row.Rms, 0.015 * row.Rms); // both printed to 3 digits
            // Each sigmoid layer between a weight and the output scales its gradient down, so the RMS grows layer by layer toward the output.
            var weights = rows.Where(r => r.Name.EndsWith(".weight", StringComparison.Ordinal)).Select(r => r.Rms).ToArray();
            for (int i = 1; i < weights.Length; i++) Assert.True(weights[i] > 2 * weights[i - 1], $"epoch {epoch}: {string.Join(", ", weights)}");
            Assert.True(weights[0] < 1e-3 * weights[^1]);
            string warning = lines[at + 16];
            Assert.StartsWith("warning: Vanishing gradients: the gradient RMS of '0.weight' (input side) is ", warning);
            Assert.EndsWith($"times that of '12.weight' (output side), so the first layers barely learn. {VanishingAdvice}", warning);
        }
        foreach (string libraryName in new[] { "Init.", "Kaiming", "BatchNorm1d", "LayerNorm", "Trainer.", "ReLU" })
            Assert.DoesNotContain(libraryName, run.StandardOutput);
    }

    [Fact]
    public void DeepSigmoidMlp_Json_HasEachEpochsGradients()
    {
        foreach (var gradients in EpochGradients(Train([.. DeepSigmoid, "--json"]), epochs: 2))
        {
            Assert.True(gradients.GetProperty("vanishing").GetBoolean());
            Assert.False(gradients.GetProperty("exploding").GetBoolean());
            var parameters = gradients.GetProperty("parameters").EnumerateArray().ToArray();
            Assert.Equal(14, parameters.Length);
            double first = parameters[0].GetProperty("gradientRms").GetDouble(), last = parameters[12].GetProperty("gradientRms").GetDouble();
            Assert.Equal(first / last, gradients.GetProperty("spread").GetDouble(), 1e-9 * first / last);
            Assert.True(first / last < 1e-3);
            string finding = Assert.Single(gradients.GetProperty("findings").EnumerateArray()).GetString()!;
            Assert.StartsWith("Vanishing gradients: ", finding);
            Assert.EndsWith(VanishingAdvice, finding);
        }
    }

    [Fact]
    public void DefaultMlp_IsHealthy_AndItsWeightNormsAreThoseOfTheModelFile()
    {
        var reports = EpochGradients(Train("--epochs", "3", "--diagnose", "--json"), epochs: 3);
        foreach (var gradients in reports)
        {
            Assert.False(gradients.GetProperty("vanishing").GetBoolean());
            Assert.False(gradients.GetProperty("exploding").GetBoolean());
            Assert.Empty(gradients.GetProperty("findings").EnumerateArray());
            foreach (var parameter in gradients.GetProperty("parameters").EnumerateArray())
                Assert.InRange(parameter.GetProperty("updateRatio").GetDouble(), 1e-5, 0.5);
        }
        // The last report's weights are the trained weights: their 2-norms, from the model file's float32 tensors.
        var model = SafetensorsHeader.Read(PathOf("model.safetensors"));
        var last = reports[^1].GetProperty("parameters").EnumerateArray().ToArray();
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"], last.Select(p => p.GetProperty("name").GetString()));
        foreach (var parameter in last)
        {
            string name = parameter.GetProperty("name").GetString()!;
            Assert.Equal(model.Tensors[name].Shape, parameter.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
            double norm = Math.Sqrt(MemoryMarshal.Cast<byte, float>(model.Data[name]).ToArray().Sum(v => (double)v * v));
            Assert.Equal(norm, parameter.GetProperty("weightNorm").GetDouble(), 1e-5 * norm);
        }
    }

    [Fact]
    public void DefaultMlp_SaysUnderEachEpochThatNothingIsWrong()
    {
        var run = Train("--epochs", "2", "--diagnose");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.StandardError);
        var lines = run.OutputLines;
        for (int epoch = 1; epoch <= 2; epoch++)
        {
            int at = Array.FindIndex(lines, line => line.StartsWith($"epoch {epoch}/2 ", StringComparison.Ordinal));
            Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"], lines[(at + 2)..(at + 8)].Select(line => Row(line).Name));
            Assert.Equal("no vanishing or exploding gradients", lines[at + 8]);
        }
        Assert.DoesNotContain("warning", run.StandardOutput);
    }

    [Fact]
    public void WithQuiet_IsAUsageError()
    {
        var run = Train("--diagnose", "--quiet");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("error: --diagnose shows the gradients after each epoch, which --quiet leaves out; give one of them.", run.ErrorLines[0]);
    }

    [Fact]
    public void LinearModel_IsRefusedByName()
    {
        var run = Train("--model", "logistic", "--diagnose");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("error: --diagnose does not apply to --model logistic: it is fitted by its own solver, with no gradient steps to watch; leave it out, or use --model mlp.", Assert.Single(run.ErrorLines));
        Assert.False(File.Exists(PathOf("model.safetensors")));
    }

    /// <summary>The <c>gradients</c> of each epoch of a <c>--json</c> run, which must have written one JSON object and nothing else.</summary>
    private static JsonElement[] EpochGradients(ProgramRun run, int epochs)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Single(run.OutputLines);
        using var json = JsonDocument.Parse(run.StandardOutput);
        var history = json.RootElement.GetProperty("history").EnumerateArray().ToArray();
        Assert.Equal(epochs, history.Length);
        return [.. history.Select(epoch => epoch.GetProperty("gradients").Clone())];
    }

    /// <summary>"0.weight   [128, 64]   0.286   0.00316   0.0175": the name, the element count, the gradient norm and RMS.</summary>
    private static (string Name, int Count, double Norm, double Rms) Row(string line)
    {
        string name = line[..line.IndexOf(' ', StringComparison.Ordinal)];
        string shape = line[(line.IndexOf('[', StringComparison.Ordinal) + 1)..line.IndexOf(']', StringComparison.Ordinal)];
        string[] numbers = line[(line.IndexOf(']', StringComparison.Ordinal) + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int count = shape.Split(", ").Aggregate(1, (product, d) => product * int.Parse(d, CultureInfo.InvariantCulture));
        return (name, count, double.Parse(numbers[0], CultureInfo.InvariantCulture), double.Parse(numbers[1], CultureInfo.InvariantCulture));
    }
}
