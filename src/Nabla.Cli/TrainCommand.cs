using System.CommandLine;
using System.Globalization;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla train</c>: for now, the first real job: a linear model fitted to the built-in
/// diabetes data by full-batch gradient descent, with gradients from automatic differentiation.
/// </summary>
internal static class TrainCommand
{
    public const int DefaultEpochs = 2000;
    public const double DefaultLearningRate = 0.1;

    public static Command Create(Option<bool> verbose)
    {
        var epochs = new Option<int>("--epochs")
        {
            Description = "Number of full-batch gradient steps.",
            DefaultValueFactory = _ => DefaultEpochs,
        };
        var learningRate = new Option<double>("--lr")
        {
            Description = "Learning rate (the step size); must be greater than 0.",
            DefaultValueFactory = _ => DefaultLearningRate,
        };
        var seed = new Option<ulong>("--seed")
        {
            Description = "Seed of the random initial weights.",
            DefaultValueFactory = _ => 0UL,
        };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the final metrics, no progress." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the results instead of text." };

        var command = new Command("train", "Fit a linear model to the built-in diabetes data (442 × 10) by gradient descent with automatic differentiation, and report the training MSE and R².")
        {
            epochs, learningRate, seed, quiet, json,
        };
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(verbose), () =>
        {
            var settings = new TrainSettings(parse.GetValue(epochs), parse.GetValue(learningRate), parse.GetValue(seed));
            return Execute(settings, parse.GetValue(quiet), parse.GetValue(json));
        }));
        return command;
    }

    private static int Execute(TrainSettings settings, bool quiet, bool json)
    {
        Validate(settings);
        var data = BuiltInData.Diabetes();
        var output = new TrainOutput(quiet || json);
        if (!json) output.WriteHeader(data, settings);

        int reportEvery = Math.Max(1, settings.Epochs / 10);
        var result = LinearRegressionTrainer.Fit(data, settings, reportEvery, output.WriteProgress);

        if (json) TrainOutput.WriteJson(result);
        else output.WriteSummary(result);
        return ExitCodes.Success;
    }

    private static void Validate(TrainSettings settings)
    {
        if (settings.Epochs <= 0)
            throw new CommandInputException($"--epochs must be at least 1, got {settings.Epochs}.");
        if (!(settings.LearningRate > 0) || double.IsInfinity(settings.LearningRate))
            throw new CommandInputException(string.Create(CultureInfo.InvariantCulture, $"--lr must be a finite number greater than 0, got {settings.LearningRate}."));
    }
}
