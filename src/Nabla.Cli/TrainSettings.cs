namespace Nabla.Cli;

/// <summary>Everything <c>nabla train</c> was asked to do, checked: one value per option.</summary>
/// <param name="DataPath">The CSV or IDX file to train on (<c>--data</c>), or null for the built-in digits.</param>
/// <param name="TargetColumn">The column to predict in <paramref name="DataPath"/> (<c>--target</c>), or null.</param>
/// <param name="Model">The model to fit (<c>--model</c>).</param>
/// <param name="Task">Classification, regression, or decided by the data (<c>--task</c>).</param>
/// <param name="Hidden">The widths of the hidden layers (<c>--hidden</c>); for the CNN, of its dense head.</param>
/// <param name="Activation">The nonlinearity between hidden layers (<c>--activation</c>).</param>
/// <param name="Optimizer">The optimizer (<c>--optimizer</c>).</param>
/// <param name="LearningRate">The step size (<c>--lr</c>).</param>
/// <param name="BatchSize">Samples per optimizer step (<c>--batch-size</c>).</param>
/// <param name="Epochs">Passes over the training rows (<c>--epochs</c>).</param>
/// <param name="TestSplit">The share of rows held out for the final test (<c>--test-split</c>).</param>
/// <param name="Seed">Seeds the split, the initial weights and the batch order (<c>--seed</c>).</param>
/// <param name="OutPath">Where the trained model is written (<c>--out</c>).</param>
/// <param name="PlotPath">Where the loss-curve picture is written (<c>--plot</c>), or null for none.</param>
/// <param name="CheckpointDirectory">Where checkpoints go (<c>--checkpoint-dir</c>), or null for none.</param>
/// <param name="Resume">Continue from the last checkpoint in <paramref name="CheckpointDirectory"/> (<c>--resume</c>).</param>
/// <param name="Json">Print one JSON object instead of text (<c>--json</c>).</param>
/// <param name="Quiet">Print only the final summary (<c>--quiet</c>).</param>
internal sealed record TrainSettings(
    string? DataPath,
    string? TargetColumn,
    ModelKind Model,
    TaskKind Task,
    IReadOnlyList<int> Hidden,
    ActivationKind Activation,
    OptimizerKind Optimizer,
    double LearningRate,
    int BatchSize,
    int Epochs,
    double TestSplit,
    ulong Seed,
    string OutPath,
    string? PlotPath,
    string? CheckpointDirectory,
    bool Resume,
    bool Json,
    bool Quiet)
{
    /// <summary>The share of the training rows held out to measure the validation loss and accuracy after each epoch.</summary>
    public const double ValidationShare = 0.1;
}
