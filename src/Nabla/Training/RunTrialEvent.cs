namespace Nabla.Training;

/// <summary>One finished trial of a hyper-parameter search in a run log, written by <see cref="RunLog.Trial"/>.</summary>
/// <param name="Number">The trial's number in the search, from 0; each number appears once in a log.</param>
/// <param name="Model">The model the trial trained, such as "mlp" or "logistic".</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Score">Its score (the mean over the folds of a cross-validation, say); null when it has none, as a pruned or failed trial.</param>
/// <param name="Std">The standard deviation that came with the score; null without one.</param>
/// <param name="Duration">How long the trial ran.</param>
/// <param name="Parameters">The settings it tried, by name, each as text (numbers in their round-trip form, lists as <c>128,64</c>).</param>
/// <param name="Error">Why it failed; null unless <paramref name="Outcome"/> is <see cref="RunTrialOutcome.Failed"/>.</param>
public sealed record RunTrialEvent(int Number, string Model, RunTrialOutcome Outcome, double? Score, double? Std, TimeSpan Duration,
    IReadOnlyDictionary<string, string> Parameters, string? Error)
{
    /// <summary>
    /// The budget the trial was given, in the search's own unit (epochs, say), at least 1; null when not recorded. A
    /// successive-halving or Hyperband search scores many trials on small budgets and only the best on the full one, so
    /// only scores of the same budget compare.
    /// </summary>
    public int? Budget { get; init; }

    /// <summary>
    /// The values the trial reported along the way, steps increasing: its learning curve as the search's pruner saw it (a
    /// network's validation score after each epoch, say), which shows where a pruned trial was stopped. Empty when it
    /// reported none.
    /// </summary>
    public IReadOnlyList<RunCurvePoint> Curve { get; init; } = [];
}
