namespace Nabla.Cli;

/// <summary>
/// The options of <c>nabla train</c> that are parsed and checked but not yet carried out: training on
/// a file (<c>--data</c>, <c>--target</c>) and checkpoints (<c>--checkpoint-dir</c>, <c>--resume</c>).
/// This is the one place that turns them away.
/// </summary>
internal static class NotYetAvailable
{
    /// <summary>Stops the run when it asks for something this version cannot do yet.</summary>
    /// <exception cref="CommandInputException">--data or --checkpoint-dir was given.</exception>
    public static void Reject(TrainSettings settings)
    {
        if (settings.DataPath is not null)
            throw new CommandInputException($"--data is not available yet: this version trains on the built-in digits only; run without --data '{settings.DataPath}'{(settings.TargetColumn is { } target ? $" and --target '{target}'" : "")}.");
        if (settings.CheckpointDirectory is not null)
            throw new CommandInputException($"--checkpoint-dir is not available yet: this version does not save checkpoints; run without --checkpoint-dir '{settings.CheckpointDirectory}'{(settings.Resume ? " and --resume" : "")}.");
    }
}
