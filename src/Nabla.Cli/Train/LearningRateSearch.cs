using System.Globalization;
using Nabla.Training;

namespace Nabla.Cli;

/// <summary>
/// <c>--find-lr</c> and <c>--lr auto</c>: the library's <see cref="LearningRateFinder"/> run with the
/// trainer the other options describe (model, loss, optimizer, clipping) over the training batches, and
/// how the rate it finds is kept, so that a resumed <c>--lr auto</c> run goes on with the rate found when it began.
/// </summary>
internal static class LearningRateSearch
{
    /// <summary>How the header, the model file and the JSON settings say where the rate came from.</summary>
    public const string FoundBy = "--lr auto";

    /// <summary>
    /// The checkpoint's run setting that keeps the rate an <c>--lr auto</c> run found (its <c>lr</c> is
    /// <c>auto</c>): a resume reads it instead of searching again, which would find another rate from the trained weights.
    /// </summary>
    public const string FoundRunKey = "lr_found";

    /// <summary>The rate an optimizer is built with before the search: the search's first, which the finder sets again itself.</summary>
    public static double FirstRate => new LearningRateFinder().StartLearningRate;

    /// <summary>Runs the finder; it puts the model, the optimizer and the batches' shuffling back as they were.</summary>
    public static LearningRateSearchResult Run(Trainer trainer, DataLoader training) =>
        LearningRateSearchResult.Of(new LearningRateFinder().Run(trainer, training));

    /// <summary>" (found by --lr auto)" after the rate in the header, or nothing.</summary>
    public static string Origin(TrainSettings settings) => settings.FindLearningRate == LearningRateSearchMode.Auto ? $" (found by {FoundBy})" : "";

    /// <summary>
    /// For <c>--lr auto --resume</c>, <paramref name="settings"/> with the rate the checkpoint's run found;
    /// otherwise <paramref name="settings"/> as they are.
    /// </summary>
    /// <exception cref="CommandInputException">The checkpoint was saved by a run that did not search (it has no rate found).</exception>
    public static TrainSettings Resumed(TrainSettings settings, TrainingCheckpoint checkpoint, string path)
    {
        if (settings.FindLearningRate != LearningRateSearchMode.Auto) return settings;
        if (checkpoint.Run.TryGetValue(FoundRunKey, out string? text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double rate) && rate > 0 && double.IsFinite(rate))
            return settings with { LearningRate = rate };
        string given = checkpoint.Run.TryGetValue("lr", out string? lr) ? $"--lr {lr}" : "another learning rate";
        throw new CommandInputException($"--resume '{path}': --lr {LearningRateArgument.AutoWord} resumes a run that found its rate, but the checkpoint (after epoch {checkpoint.Epoch}) was saved by a run with {given}; resume with the same --lr, or start afresh.");
    }
}
