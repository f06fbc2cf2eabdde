using Nabla.Training;

namespace Nabla.Cli;

/// <summary>What a training run produced: the per-epoch record, the test scores, and where the files went.</summary>
internal sealed record TrainResult
{
    /// <summary>The options the run used.</summary>
    public required TrainSettings Settings { get; init; }

    /// <summary>The data it trained and tested on.</summary>
    public required TrainingData Data { get; init; }

    /// <summary>The training rows used for gradient steps (the rest of the training rows validated each epoch).</summary>
    public required int TrainingRows { get; init; }

    /// <summary>The training rows held out to validate each epoch.</summary>
    public required int ValidationRows { get; init; }

    /// <summary>What the model is, in one line: "64 → 128 → 64 → 10 (relu)", "LogisticRegression, 30 → 2 classes (L2, C 1)".</summary>
    public required string ModelDescription { get; init; }

    /// <summary>The number of values the model learnt.</summary>
    public required long ParameterCount { get; init; }

    /// <summary>One record per epoch: training and validation loss and accuracy (the restored epochs first, after a resume); empty for the linear estimators, which have no epochs.</summary>
    public required History History { get; init; }

    /// <summary>How the epochs are shown, with the task's validation metric; null for the linear estimators, which have no epochs.</summary>
    public EpochLine? EpochLine { get; init; }

    /// <summary>The early stopping of the run (<c>--early-stopping</c>): whether and when it stopped, and the epoch whose weights it kept; null without it.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>The iterations a linear estimator's solver ran, or null (the networks, and the exact solvers).</summary>
    public int? SolverIterations { get; init; }

    /// <summary>The scores on the test rows.</summary>
    public required TestScores Test { get; init; }

    /// <summary>The full path of the model file written.</summary>
    public required string ModelPath { get; init; }

    /// <summary>The full path of the loss-curve picture, or null when none was asked for.</summary>
    public string? PlotPath { get; init; }

    /// <summary>The time spent in the training loop.</summary>
    public required TimeSpan TrainingTime { get; init; }

    /// <summary>What the learning-rate finder measured before training (<c>--lr auto</c>), or null when it did not run.</summary>
    public LearningRateSearchResult? LearningRateSearch { get; init; }

    /// <summary>The gradients of each epoch this process trained (<c>--diagnose</c>); empty without it.</summary>
    public IReadOnlyList<GradientReport> GradientReports { get; init; } = [];

    /// <summary>The run log's full path (<c>--logdir</c>), or null when none was written.</summary>
    public string? RunLogPath { get; init; }
}
