using Nabla.Selection;

namespace Nabla.Cli;

/// <summary>Everything <c>nabla tune</c> was asked to do, checked: one value per option.</summary>
/// <param name="Base">The settings every trial starts from: the data options, the split and the seed as <c>nabla train</c> takes them, and its defaults for the rest.</param>
/// <param name="Model">The model to tune (<c>--model</c>), or null for auto: every model that fits the task.</param>
/// <param name="Search">How settings are chosen (<c>--search</c>).</param>
/// <param name="Trials">How many settings to try (<c>--trials</c>), or null for the default (or, with only a time budget, as many as fit).</param>
/// <param name="TimeBudget">The wall time the search may take (<c>--time-budget</c>), or null for no limit.</param>
/// <param name="Folds">The folds of the cross-validation that scores each trial (<c>--cv</c>).</param>
/// <param name="Metric">The score trials are compared by (<c>--metric</c>), or null for the task's default.</param>
/// <param name="Space">The user's search space (<c>--space</c>), or null for the defaults.</param>
/// <param name="Parallel">How many trials run at once (<c>--parallel</c>), or null to decide from the data and the cores.</param>
/// <param name="StateDirectory">Where the search's state is kept for <c>--resume</c> (<c>--state</c>).</param>
/// <param name="Resume">Continue the search saved in <paramref name="StateDirectory"/> (<c>--resume</c>).</param>
/// <param name="PlotPath">Where the picture of the trials goes (<c>--plot</c>), or null.</param>
/// <param name="Json">Print one JSON object instead of text (<c>--json</c>).</param>
/// <param name="Quiet">Print only the summary (<c>--quiet</c>).</param>
internal sealed record TuneSettings(
    TrainSettings Base,
    ModelKind? Model,
    SearchKind Search,
    int? Trials,
    TimeSpan? TimeBudget,
    int Folds,
    TuneMetric? Metric,
    SearchSpace? Space,
    int? Parallel,
    string StateDirectory,
    bool Resume,
    string? PlotPath,
    bool Json,
    bool Quiet)
{
    /// <summary>
    /// The search's folder, where its <see cref="Training.RunLog"/> writes (<c>--logdir</c> and <c>--run-name</c>, checked free of
    /// another run's log), or null for no log. The trials and the refit write none of their own.
    /// </summary>
    public string? RunLogDirectory { get; init; }

    /// <summary>Where to serve the live page of the run log while searching (<c>--dashboard</c>, <c>--host</c>), or null for none.</summary>
    public DashboardAddress? Dashboard { get; init; }
}
