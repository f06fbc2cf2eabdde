using System.CommandLine;
using Nabla.Distributed;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla train</c>: trains a model and saves it. With no options, an MLP on the built-in digits,
/// reaching about 0.98 test accuracy in seconds; with <c>--data</c>, on a CSV file or a folder of IDX images.
/// </summary>
internal static class TrainCommand
{
    /// <summary>The command with its options, running <see cref="TrainJob"/>.</summary>
    public static Command Create(Option<bool> verbose)
    {
        var options = new TrainOptions();
        var command = new Command("train",
            "Train a model and save it. By default: an MLP (64 → 128 → 64 → 10, ReLU, Adam) on the built-in digits (1797 8×8 images), "
            + "with per-epoch validation, the test accuracy and macro F1, and the model written to model.safetensors. "
            + "With --data, a CSV file (--target names the column to predict) or a folder of IDX images; "
            + "with --model mf --user COLUMN --item COLUMN [--rating COLUMN | --implicit], a recommender on a CSV file of ratings or interactions.");
        options.AddTo(command);
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(verbose), () =>
        {
            var settings = options.Read(parse);
            // Under mpirun every rank runs this command; started alone, it is a group of one.
            using var communicator = Communicator.FromEnvironment();
            return RankFailure.Guard(communicator, parse.GetValue(verbose), () =>
            {
                RankAgreement.Check(communicator, parse.Tokens.Select(token => token.Value).ToArray(), settings.DataPath);
                if (settings.Recommender is { } recommender)
                {
                    if (communicator.Size > 1)
                        throw new CommandInputException($"--model mf trains in one process, and this is rank {communicator.Rank} of {communicator.Size} under mpirun; run it without mpirun.");
                    RecommenderJob.Run(settings, recommender);
                    return ExitCodes.Success;
                }
                // Rank 0 alone prints: the others train as quietly as they write nothing.
                var output = new TrainOutput(communicator.IsRoot ? settings : settings with { Quiet = true, Json = false, Diagnose = false });
                if (TrainJob.Run(settings, output, communicator) is { } result && communicator.IsRoot) output.WriteResult(result);
                return ExitCodes.Success;
            });
        }));
        return command;
    }
}
