using Nabla.Data;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Cli;

/// <summary>Everything <c>nabla train</c> was asked to do, checked: one value per option.</summary>
/// <param name="DataPath">The CSV file or folder of IDX files to train on (<c>--data</c>), or null for the built-in digits.</param>
/// <param name="TargetColumn">The column to predict in the CSV file <paramref name="DataPath"/> (<c>--target</c>), or null for its last column.</param>
/// <param name="DropColumns">The columns of the CSV file left out of the features (<c>--drop</c>), by name or 0-based position; empty for none.</param>
/// <param name="Model">The model to fit (<c>--model</c>).</param>
/// <param name="Task">Classification or regression (<c>--task</c>), or null to decide from the data.</param>
/// <param name="Hidden">The widths of the hidden layers (<c>--hidden</c>); for the CNN, of its dense head.</param>
/// <param name="Activation">The nonlinearity between hidden layers (<c>--activation</c>).</param>
/// <param name="Optimizer">The optimizer of mlp and cnn (<c>--optimizer</c>); null for the linear models, which use their own solvers.</param>
/// <param name="LearningRate">The step size of mlp and cnn (<c>--lr</c>); null for the linear models, and for <c>--find-lr</c> and <c>--lr auto</c> until the search finds it.</param>
/// <param name="BatchSize">Samples per optimizer step (<c>--batch-size</c>), or null for all the training rows in one batch (and for the linear models).</param>
/// <param name="Epochs">Passes over the training rows of mlp and cnn (<c>--epochs</c>); for logistic and svm, their solver's most iterations; 1 (unused) for linear and ridge.</param>
/// <param name="TestSplit">The share of rows held out for the final test (<c>--test-split</c>).</param>
/// <param name="Impute">What to do with missing feature cells of a CSV file (<c>--impute</c>).</param>
/// <param name="Alpha">The L2 penalty of ridge, logistic and svm (<c>--alpha</c>).</param>
/// <param name="Seed">Seeds the split, the initial weights and the batch order (<c>--seed</c>).</param>
/// <param name="OutPath">Where the trained model is written (<c>--out</c>).</param>
/// <param name="PlotPath">Where the loss-curve picture is written (<c>--plot</c>), or null for none.</param>
/// <param name="CheckpointDirectory">Where checkpoints go (<c>--checkpoint-dir</c>), or null for none.</param>
/// <param name="Resume">Continue from the last checkpoint in <paramref name="CheckpointDirectory"/> (<c>--resume</c>).</param>
/// <param name="Json">Print one JSON object instead of text (<c>--json</c>).</param>
/// <param name="Quiet">Print only the final summary (<c>--quiet</c>).</param>
/// <param name="CsvLimits">The bounds of a CSV file given as <paramref name="DataPath"/> (<c>--max-columns</c>, <c>--max-line-length</c>, <c>--max-cells</c>).</param>
internal sealed record TrainSettings(
    string? DataPath,
    string? TargetColumn,
    IReadOnlyList<string> DropColumns,
    ModelKind Model,
    ModelTask? Task,
    IReadOnlyList<int> Hidden,
    Activation Activation,
    OptimizerKind? Optimizer,
    double? LearningRate,
    int? BatchSize,
    int Epochs,
    double TestSplit,
    MissingValuePolicy Impute,
    double Alpha,
    ulong Seed,
    string OutPath,
    string? PlotPath,
    string? CheckpointDirectory,
    bool Resume,
    bool Json,
    bool Quiet,
    CsvLimits CsvLimits)
{
    /// <summary>
    /// The share of the training rows held out to measure the validation loss and accuracy after each
    /// epoch, for the networks (mlp, cnn). The linear models are fitted to the optimum of a convex loss,
    /// where watching a validation loss changes nothing, so they train on all the training rows, as
    /// scikit-learn's estimators do.
    /// </summary>
    public const double ValidationShare = 0.1;

    /// <summary>
    /// Whether <see cref="Model"/> is fitted by one of the library's linear estimators' solvers (linear, ridge, logistic, svm; with
    /// <c>--text</c>, svm over the TF-IDF rows) rather than trained as a network by gradient steps (the text models, logistic over TF-IDF among them).
    /// </summary>
    public bool IsLinearModel => IsLinear(Model) && (Text is null || Model == ModelKind.Svm);

    /// <summary>The text columns and the text model's settings (<c>--text</c> and the options that go with it), or null for a model of numbers or images.</summary>
    public TextModelSettings? Text { get; init; }

    /// <summary>Whether <paramref name="model"/> is one of the library's linear estimators (linear, ridge, logistic, svm) rather than a network.</summary>
    public static bool IsLinear(ModelKind model) => model is ModelKind.Linear or ModelKind.Ridge or ModelKind.Logistic or ModelKind.Svm;

    /// <summary>The most 2-norm of all the gradients of a step, scaled down to it after each backward pass (<c>--clip-grad-norm</c>), or null to leave them.</summary>
    public double? ClipGradNorm { get; init; }

    /// <summary>Whether the learning-rate finder runs (<c>--find-lr</c>: only it; <c>--lr auto</c>: before training, which uses its rate).</summary>
    public LearningRateSearchMode FindLearningRate { get; init; }

    /// <summary>Whether the gradients are reported after each epoch (<c>--diagnose</c>).</summary>
    public bool Diagnose { get; init; }

    /// <summary>The bound each gradient element is clamped to after each backward pass, before <see cref="ClipGradNorm"/> (<c>--clip-grad-value</c>), or null to leave them.</summary>
    public double? ClipGradValue { get; init; }

    /// <summary>The weight decay of the optimizer (<c>--weight-decay</c>): decoupled (AdamW) for adam, an L2 term of the gradient for the others; 0 for none.</summary>
    public double WeightDecay { get; init; }

    /// <summary>
    /// The optimizer by the name the header, the JSON and the model file give it: <c>--optimizer</c>'s word, but
    /// adamw for adam with a weight decay, the optimizer <see cref="OptimizerFactory.Create"/> then builds; null for the linear models.
    /// </summary>
    public string? OptimizerName => Optimizer is not { } kind ? null
        : kind == OptimizerKind.Adam && WeightDecay > 0 ? "adamw"
        : TrainChoices.Optimizer.WordOf(kind);

    /// <summary>The learning-rate schedule (<c>--lr-schedule</c> and its parameters), or null for a constant rate.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>The dropout probability after each hidden activation of mlp (<c>--dropout</c>); 0 for none.</summary>
    public double Dropout { get; init; }

    /// <summary>Whether each hidden linear layer of mlp is followed by batch normalisation (<c>--batch-norm</c>).</summary>
    public bool BatchNorm { get; init; }

    /// <summary>The epochs without a lower validation loss after which training stops and takes back the best epoch's weights (<c>--early-stopping</c>), or null to run every epoch.</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>
    /// What early stopping watches: the validation loss, or for a text model the validation accuracy, which
    /// keeps rising for a few epochs after the loss of these small, quickly overfitting models has turned.
    /// </summary>
    public TrainingMetric EarlyStoppingMetric => Text is null ? TrainingMetric.ValidationLoss : TrainingMetric.ValidationAccuracy;

    /// <summary>How the output names what <see cref="EarlyStoppingMetric"/> does when it stalls, and its best value: ("validation loss has not fallen", "lowest validation loss").</summary>
    public (string Stalled, string Best) EarlyStoppingWords => Text is null
        ? ("validation loss has not fallen", "lowest validation loss")
        : ("validation accuracy has not risen", "highest validation accuracy");

    /// <summary>The recommender's own settings (<c>--model mf</c>: <c>--user</c>, <c>--item</c> and the rest), or null for any other model.</summary>
    public RecommenderSettings? Recommender { get; init; }

    /// <summary>The federated averaging to run instead of ordinary training (<c>--federated</c> and its settings), or null for none.</summary>
    public FederatedSettings? Federated { get; init; }

    /// <summary>
    /// Whether <see cref="BatchSize"/> is the global batch of data-parallel training (<c>--global-batch</c>), summed over
    /// the ranks, rather than each rank's share (<c>--batch-size</c>); the two are the same in one process.
    /// </summary>
    public bool BatchIsGlobal { get; init; }

    /// <summary>Whether batch normalisation uses the statistics of the whole global batch under mpirun (<c>--sync-batch-norm</c>).</summary>
    public bool SyncBatchNorm { get; init; }

    /// <summary>The run's folder, where its <see cref="RunLog"/> writes (<c>--logdir</c> and <c>--run-name</c>, checked free of another run's log), or null for no log.</summary>
    public string? RunLogDirectory { get; init; }

    /// <summary>The batches between two step events of the run log (<c>--log-steps</c>), 0 for none.</summary>
    public int RunLogStepInterval { get; init; }

    /// <summary>Where to serve the live page of the run log while training (<c>--dashboard</c>, <c>--host</c>), or null for none.</summary>
    public DashboardAddress? Dashboard { get; init; }

    /// <summary>The most memory the network may take (<c>--memory-limit</c>), checked before it is built.</summary>
    public MemoryLimit MemoryLimit { get; init; } = MemoryLimitOption.Default;
}
