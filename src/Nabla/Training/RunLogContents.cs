namespace Nabla.Training;

/// <summary>What a run log holds, as <see cref="RunLogReader.Read"/> found it.</summary>
/// <param name="Settings">The run's settings event.</param>
/// <param name="Epochs">Each epoch event, in order; empty for a search.</param>
/// <param name="Steps">Each step event, in order; empty when the run wrote none.</param>
/// <param name="End">How the run ended, or null when the log has no end: the run is still going, or was killed.</param>
/// <param name="IgnoredPartialLine">
/// The number (from 1) of a last line that was cut off, as a writer killed while writing leaves it, and that the
/// reader skipped; null when every line was whole.
/// </param>
public sealed record RunLogContents(RunSettingsEvent Settings, IReadOnlyList<RunEpochEvent> Epochs, IReadOnlyList<RunStepEvent> Steps,
    RunEndEvent? End, int? IgnoredPartialLine)
{
    /// <summary>
    /// Each trial event of a search, in the order the trials ended (parallel trials end out of order, so their numbers
    /// need not increase); empty for a training run. A log holds the epochs of a training or the trials of a search, not both.
    /// </summary>
    public IReadOnlyList<RunTrialEvent> Trials { get; init; } = [];

    /// <summary>The epochs as a <see cref="Training.History"/>, for the code that reads a trainer's.</summary>
    public History ToHistory()
    {
        var history = new History { StopReason = End is { Outcome: RunOutcome.StoppedEarly } end ? end.Reason : null };
        foreach (var epoch in Epochs) history.Add(epoch.Result);
        return history;
    }
}
