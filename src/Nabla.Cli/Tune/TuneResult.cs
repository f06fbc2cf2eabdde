namespace Nabla.Cli;

/// <summary>What <c>nabla tune</c> did: every trial, the best, the refitted model and its one test score.</summary>
internal sealed record TuneResult
{
    /// <summary>The job.</summary>
    public required TuneSettings Settings { get; init; }

    /// <summary>The data: the training rows the folds were cut from, and the test rows the refitted model alone was scored on.</summary>
    public required TrainingData Data { get; init; }

    /// <summary>The score trials were compared by.</summary>
    public required TuneMetric Metric { get; init; }

    /// <summary>The searches, in the order they ran.</summary>
    public required IReadOnlyList<TuneFamily> Families { get; init; }

    /// <summary>How many trials ran at once.</summary>
    public required int Parallel { get; init; }

    /// <summary>Every trial, in the order they ended (replayed ones first on <c>--resume</c>).</summary>
    public required IReadOnlyList<TunedTrial> Trials { get; init; }

    /// <summary>The trial refitted: the top-scoring one, or a simpler model within one standard error of it.</summary>
    public required TunedTrial Best { get; init; }

    /// <summary>The trial with the top score at the largest budget; <see cref="Best"/> unless the one-standard-error rule chose a simpler model.</summary>
    public required TunedTrial Top { get; init; }

    /// <summary>The settings of <c>nabla train</c> the best trial stands for, as the refit used them.</summary>
    public required TrainSettings BestSettings { get; init; }

    /// <summary>The command that trains the same model: <c>nabla train</c> with the best settings.</summary>
    public required string TrainCommand { get; init; }

    /// <summary>The refit on all the training rows, with its test scores and model file.</summary>
    public required TrainResult Refit { get; init; }

    /// <summary>The wall time of the search, before the refit.</summary>
    public required TimeSpan SearchTime { get; init; }

    /// <summary>The wall time during which at least one trial ran.</summary>
    public required TimeSpan TrialTime { get; init; }

    /// <summary>The time of every trial, summed over the trials running at once.</summary>
    public required TimeSpan SummedTrialTime { get; init; }

    /// <summary>Whether every search ran all its trials.</summary>
    public required bool Finished { get; init; }

    /// <summary>Whether Ctrl-C (or SIGTERM) stopped the search.</summary>
    public required bool Interrupted { get; init; }

    /// <summary>The picture of the trials, or null.</summary>
    public string? PlotPath { get; init; }

    /// <summary>The search's run log (a full path), or null with <c>--logdir none</c>.</summary>
    public string? RunLogPath { get; init; }

    /// <summary>The share of the search's wall time when no trial ran: the search's own work (choosing settings, saving its state, showing the trials).</summary>
    public double Overhead => SearchTime <= TimeSpan.Zero ? 0 : Math.Max(0, 1 - TrialTime / SearchTime);

    /// <summary>How busy the slots of parallel trials were: the summed trial time over the search's wall time times the trials allowed at once.</summary>
    public double Utilisation => SearchTime <= TimeSpan.Zero ? 0 : Math.Min(1, SummedTrialTime / (SearchTime * Parallel));
}
