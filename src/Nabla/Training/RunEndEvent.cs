namespace Nabla.Training;

/// <summary>The last event of a run log: how the run ended. A log without one belongs to a run still going, or killed.</summary>
/// <param name="Time">When the run ended.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Reason">Why it stopped, for an early stop, an interruption or a failure; null when it completed.</param>
/// <param name="Epochs">The epochs finished; 0 for a search, which counts <see cref="Trials"/> instead.</param>
/// <param name="BestEpoch">The best epoch as the trainer's <see cref="EarlyStopping"/> judged it, or null without one.</param>
public sealed record RunEndEvent(DateTimeOffset Time, RunOutcome Outcome, string? Reason, int Epochs, int? BestEpoch)
{
    /// <summary>
    /// For a search (a log of trials, <see cref="RunLog.IsSearch"/>), the trials finished, 0 when it ended before its
    /// first; null for a training, whose end counts <see cref="Epochs"/>. The file holds one or the other: an end event
    /// has <c>"trials"</c> or <c>"epochs"</c>, never both.
    /// </summary>
    public int? Trials { get; init; }
}
