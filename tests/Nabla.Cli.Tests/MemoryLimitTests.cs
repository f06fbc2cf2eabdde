using System.Diagnostics;
using Nabla.Tests;
using Nabla.Tests.Models;

namespace Nabla.Cli.Tests;

/// <summary>
/// The memory a model file or the options can make <c>nabla</c> use: networks whose parameters or
/// activations need more than <c>--memory-limit</c> are refused at once, before anything is allocated
/// (train: exit 2, the options ask for too much; predict and evaluate: exit 1, the file does), while
/// big networks that fit still train, and many rows are predicted in batches that fit.
/// </summary>
public sealed class MemoryLimitTests : TemporaryFolder
{
    // Each refusal takes well under a second on its own (the runs it replaces took minutes and
    // gigabytes); the bound leaves room for a machine busy with other tests.
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(30);

    private static ProgramRun Run(params string[] args) => ProgramRun.Start(RepositoryLayout.CliAssembly, args);

    private static (ProgramRun Run, TimeSpan Time) Timed(params string[] args)
    {
        var clock = Stopwatch.StartNew();
        var run = Run(args);
        return (run, clock.Elapsed);
    }

    [Theory]
    [InlineData("99999999", "--hidden 99999999: layer 0 (linear): its weight of shape [99999999, 64] is too large for one array.")]
    [InlineData("30000,30000", "--hidden 30000,30000: layer 2 (linear) holds 900,030,000 parameters, 13.4 GB with their gradients and the optimizer's state; training needs 13.5 GB in all, and the limit is")]
    public void Train_HiddenLayersTooLarge_AreRefusedAtOnce_AsAUsageError(string hidden, string message)
    {
        string model = PathOf("model.safetensors");

        var (run, time) = Timed("train", "--hidden", hidden, "--out", model);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith($"error: {message}", Assert.Single(run.ErrorLines));
        Assert.Empty(run.StandardOutput);
        Assert.False(File.Exists(model));
        Assert.True(time < Quickly, $"took {time}");
    }

    [Fact]
    public void Train_MemoryLimit_IsTheLimitRefusalsNameAndApply()
    {
        string model = PathOf("model.safetensors");

        var refused = Run("train", "--hidden", "1000,1000", "--memory-limit", "10MB", "--out", model);
        var trained = Run("train", "--hidden", "1000,1000", "--memory-limit", "20MB", "--epochs", "1", "--quiet", "--out", model);

        Assert.True(refused.ExitCode == 2, refused.ToString());
        // 1,001,000 parameters of 4 bytes, with their gradients and Adam's two moments: 16 MB (15.3 MB of 1024²).
        Assert.Equal("error: --hidden 1000,1000: layer 2 (linear) holds 1,001,000 parameters, 15.3 MB with their gradients and the optimizer's state; "
            + "training needs 17.4 MB in all, and the limit is 10 MB (--memory-limit).", Assert.Single(refused.ErrorLines));
        Assert.True(trained.ExitCode == 0, trained.ToString());
        Assert.Equal([1000, 64], SafetensorsHeader.Read(model).Tensors["0.weight"].Shape);
    }

    [Fact]
    public void Train_ABatchWhoseActivationsDoNotFit_IsRefusedNamingTheLayerAndTheBatch()
    {
        var run = Run("train", "--model", "cnn", "--batch-size", "1000", "--memory-limit", "10MB", "--out", PathOf("model.safetensors"));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error: --model cnn on 1×8×8 images: layer 0 (conv2d) would produce 3.91 MB of activations per batch of 1000 rows, 7.81 MB with their gradients;",
            Assert.Single(run.ErrorLines));
    }

    [Fact]
    public void Train_ABigNetworkThatFits_StillTrains()
    {
        string model = PathOf("model.safetensors");

        var run = Run("train", "--hidden", "2048,2048", "--epochs", "1", "--quiet", "--out", model);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal([2048, 2048], SafetensorsHeader.Read(model).Tensors["2.weight"].Shape);
    }

    [Theory]
    [InlineData("train")]
    [InlineData("predict")]
    [InlineData("evaluate")]
    public void MemoryLimit_ThatIsNotASize_IsAUsageError_NamingTheOption(string command)
    {
        string[] needed = command == "train" ? [] : ["--model", "m.safetensors", "--data", "d.csv"];
        foreach (string value in new[] { "12x", "0", "0.5", "GB", "1e9" })
        {
            var run = Run([command, .. needed, "--memory-limit", value]);

            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.Equal($"error: --memory-limit must be a size of at least 1 byte such as 512MB, 4GB or 1.5GB (K, M, G, T: units of 1024 bytes; a plain number is bytes); got '{value}'.",
                run.ErrorLines[0]);
        }
    }

    [Theory]
    [InlineData("train")]
    [InlineData("predict")]
    [InlineData("evaluate")]
    public void Help_DocumentsTheMemoryLimit(string command)
    {
        var run = Run(command, "--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("--memory-limit <SIZE>", run.StandardOutput);
        Assert.Contains("by default half the memory available, at most 8GB", run.StandardOutput);
    }

    [Theory]
    [InlineData("predict")]
    [InlineData("evaluate")]
    public void ConvolutionBomb_IsRefusedAtOnce_NamingTheFileTheLayerAndThePadding(string command)
    {
        string bomb = PathOf("conv_bomb.safetensors");
        ConvolutionBomb.Write(bomb);
        string data = WriteText("digits.csv", WideConvolution.Csv(1));

        var (run, time) = Timed(command, "--model", bomb, "--data", data);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal($"error: {bomb}: {ConvolutionBomb.Problem}", Assert.Single(run.ErrorLines));
        Assert.True(time < Quickly, $"took {time}");
    }

    [Theory]
    [InlineData("predict")]
    [InlineData("evaluate")]
    public void AModelWhoseSingleRowExceedsTheLimit_IsRefusedNamingTheLayer(string command)
    {
        var (model, data) = WideModel(rows: 5);

        var run = Run(command, "--model", model, "--data", data, "--memory-limit", "64KB");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("error: layer 0 (conv2d) would produce 64 KB of activations per batch of 1 row, and unfold its input into 2.25 KB of columns; "
            + "running the network needs 79.5 KB, and the limit is 64 KB (--memory-limit).", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public void Predict_ManyRowsUnderASmallLimit_GivesWhatOneBigBatchGives()
    {
        var (model, data) = WideModel(rows: 1500);

        var bounded = Run("predict", "--model", model, "--data", data, "--memory-limit", "1MB");
        var whole = Run("predict", "--model", model, "--data", data);
        var evaluated = Run("evaluate", "--model", model, "--data", data, "--memory-limit", "1MB", "--json");

        Assert.True(bounded.ExitCode == 0, bounded.ToString());
        Assert.True(whole.ExitCode == 0, whole.ToString());
        Assert.Equal(1501, bounded.OutputLines.Length);
        Assert.Equal(whole.StandardOutput, bounded.StandardOutput);
        Assert.True(evaluated.ExitCode == 0, evaluated.ToString());
        Assert.Contains("\"rows\":1500", evaluated.StandardOutput);
    }

    /// <summary>The wide convolution saved as a model file, and a CSV file of <paramref name="rows"/> rows for it.</summary>
    private (string Model, string Data) WideModel(int rows)
    {
        string csv = WideConvolution.Csv(rows);
        string model = PathOf("wide.safetensors");
        WideConvolution.Model(csv).Model.Save(model);
        return (model, WriteText("wide.csv", csv));
    }

    private string WriteText(string name, string text) => WriteBytes(name, System.Text.Encoding.UTF8.GetBytes(text));
}
