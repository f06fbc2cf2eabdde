namespace Nabla.Cli;

/// <summary>The training loss (mean squared error) at the start of one epoch, counted from 1.</summary>
internal readonly record struct EpochLoss(int Epoch, double Loss);
