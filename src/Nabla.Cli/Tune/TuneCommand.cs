using System.CommandLine;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla tune</c>: searches the settings of a model (or of several, with <c>--model auto</c>) by cross-validation on the
/// training rows, then refits the best on all of them, scores it once on the test rows, and saves it as <c>nabla train</c> would.
/// </summary>
internal static class TuneCommand
{
    /// <summary>The command with its options, running <see cref="TuneJob"/>.</summary>
    public static Command Create(Option<bool> verbose)
    {
        var options = new TuneOptions();
        var command = new Command("tune",
            "Search a model's settings by cross-validation, then refit the best on all the training rows and save it. By default: a TPE search of "
            + $"{TuneFamily.DefaultTrials} trials over logistic, svm and mlp (ridge and mlp for numbers) on the built-in digits, each trial scored by 5-fold cross-validation; "
            + "the test rows are scored once, by the final model. Prints the nabla train command that gives the same model. Ctrl-C stops after the running trials and keeps the best; --resume continues a stopped search.");
        options.AddTo(command);
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(verbose), () =>
        {
            var settings = options.Read(parse);
            var output = new TuneOutput(settings);
            output.WriteResult(TuneJob.Run(settings, output));
            return ExitCodes.Success;
        }));
        return command;
    }
}
