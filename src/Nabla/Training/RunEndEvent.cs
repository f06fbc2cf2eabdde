namespace Nabla.Training;

/// <summary>The last event of a run log: how the run ended. A log without one belongs to a run still going, or killed.</summary>
/// <param name="Time">When the run ended.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Reason">Why it stopped, for an early stop, an interruption or a failure; null when it completed.</param>
/// <param name="Epochs">The epochs finished.</param>
/// <param name="BestEpoch">The best epoch as the trainer's <see cref="EarlyStopping"/> judged it, or null without one.</param>
public sealed record RunEndEvent(DateTimeOffset Time, RunOutcome Outcome, string? Reason, int Epochs, int? BestEpoch);
