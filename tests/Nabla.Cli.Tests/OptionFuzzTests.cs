using Nabla.Tests;

namespace Nabla.Cli.Tests;

/// <summary>
/// Hostile option values on the real process: each command with one to three of its options set to
/// values that have broken parsers (empty, negative, huge, not a number, group separators, control
/// characters, special files, very long). Seeded, so every run tries the same command lines. Each ends
/// within the process timeout, with exit 0, or with exit 1 or 2 and only "error:" lines (and the usage
/// hint) on standard error: no exception text, no stack trace, no raw control character.
/// </summary>
public sealed class OptionFuzzTests : TemporaryFolder
{
    private const int Cases = 50;

    private static readonly string[] HostileValues =
    [
        "", " ", "-1", "0", "1e999", "-1e999", "NaN", "Infinity", "abc", "0,001", "1,,2", "1_000", "0x10", "2147483648",
        "99999999999999999999", "\u001b[31mred", "\u202etxt", "/dev/full", "/dev/null", "/dev/zero", "/", "missing/none.csv", "--help", "-",
        new string('9', 400), new string('a', 10_000), "1;2", "x^x^x^x^x^x^x^x", "sin(", "1/0", "nan", "inf", "-inf", "1e-320",
    ];

    /// <summary>Each command, the arguments that make it runnable and quick, and the options it takes a value for.</summary>
    private static readonly (string[] Base, string[] Options)[] Commands =
    [
        (["train", "--data", SharedData.PathOf("iris.csv"), "--epochs", "1", "--quiet"],
            ["--data", "--target", "--drop", "--model", "--task", "--hidden", "--activation", "--optimizer", "--lr", "--batch-size", "--epochs",
             "--test-split", "--impute", "--alpha", "--seed", "--plot", "--checkpoint-dir", "--memory-limit", "--max-columns", "--max-line-length", "--max-cells",
             "--clip-grad-norm", "--clip-grad-value", "--weight-decay", "--dropout", "--early-stopping",
             "--lr-schedule", "--lr-step", "--lr-milestones", "--lr-gamma", "--lr-min", "--lr-patience", "--log-steps"]),
        (["predict", "--data", SharedData.PathOf("iris.csv")], ["--model", "--data", "--memory-limit", "--max-columns", "--max-line-length", "--max-cells"]),
        (["evaluate", "--data", SharedData.PathOf("iris.csv")], ["--model", "--data", "--memory-limit", "--max-columns", "--max-line-length", "--max-cells"]),
        (["tune", "--data", SharedData.PathOf("iris.csv"), "--model", "logistic", "--trials", "2", "--cv", "2", "--quiet"],
            ["--data", "--target", "--drop", "--model", "--task", "--search", "--trials", "--time-budget", "--cv", "--metric", "--space", "--epochs",
             "--parallel", "--test-split", "--impute", "--seed", "--plot", "--memory-limit", "--max-columns", "--max-line-length", "--max-cells"]),
        (["explain", "--data", SharedData.PathOf("iris.csv"), "--rows", "0"], ["--model", "--data", "--method", "--rows", "--top", "--baseline", "--target", "--plot", "--repeats", "--seed"]),
        (["export"], ["--model", "--opset", "--batch-size", "--batch-norm"]),
        (["diff", "x^2*sin(x)"], ["--var", "--order", "--at"]),
        (["integrate", "exp(-x^2)", "--from", "0", "--to", "1"], ["--from", "--to", "--var", "--tol", "--abs-tol", "--max-evals"]),
        (["integrate", "x^2", "--method", "monte-carlo", "--from", "0", "--to", "1", "--samples", "1000"], ["--from", "--to", "--samples", "--seed", "--distribution", "--mean", "--std"]),
        (["limit", "sin(x)/x", "--at", "0"], ["--at", "--side", "--var"]),
    ];

    private static string Cli => RepositoryLayout.CliAssembly;

    [Theory]
    [InlineData(13)]
    [InlineData(14)]
    public void HostileOptionValues_EndWithAnErrorLineOrAnAnswer(int seed)
    {
        var random = new Random(seed);
        string model = PathOf("model.safetensors");
        var trained = ProgramRun.Start(Cli, ["train", "--data", SharedData.PathOf("iris.csv"), "--epochs", "2", "--quiet", "--out", model]);
        Assert.True(trained.ExitCode == 0, trained.ToString());

        for (int i = 0; i < Cases; i++)
        {
            var (baseArgs, options) = Commands[i % Commands.Length];
            var args = new List<string>(baseArgs);
            if (baseArgs[0] is "predict" or "evaluate" or "explain" or "export") args.AddRange(["--model", model]);
            int count = 1 + random.Next(3);
            for (int j = 0; j < count; j++) args.AddRange([options[random.Next(options.Length)], HostileValues[random.Next(HostileValues.Length)]]);
            // Outputs go into the test's folder, whatever else the case sets.
            if (baseArgs[0] is "train" or "tune") args.AddRange(["--out", PathOf($"case{i}.safetensors")]);
            if (baseArgs[0] is "tune") args.AddRange(["--state", PathOf($"state{i}")]);
            if (baseArgs[0] is "export") args.AddRange(["--onnx", PathOf($"case{i}.onnx")]);
            string described = string.Join(' ', args.Select(a => a.Length > 40 ? a[..40] + "…" : a));

            // In the test's folder: a hostile value taken as a relative path (a --plot or --checkpoint-dir of "1_000") lands there, not in the repository.
            var run = ProgramRun.StartIn(Folder, Cli, [.. args]);

            Assert.True(run.ExitCode is 0 or 1 or 2, $"case {i}: {described}\n{run}");
            Assert.DoesNotContain('\u001b', run.StandardError);
            Assert.DoesNotContain('\u202e', run.StandardError);
            foreach (string internals in new[] { "Exception", "   at ", "(Parameter '", "System." })
                Assert.False(run.StandardError.Contains(internals, StringComparison.Ordinal), $"case {i}: {described}\n{run}");
            if (run.ExitCode != 0)
            {
                Assert.StartsWith("error: ", run.ErrorLines[0]);
                Assert.All(run.ErrorLines, line => Assert.True(line.StartsWith("error: ", StringComparison.Ordinal) || line.StartsWith("Run 'nabla", StringComparison.Ordinal), $"case {i}: {described}\n{run}"));
            }
        }
    }
}
