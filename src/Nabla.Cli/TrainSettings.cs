namespace Nabla.Cli;

/// <summary>The hyperparameters of one gradient-descent run.</summary>
/// <param name="Epochs">Full passes over the data; each is one gradient step.</param>
/// <param name="LearningRate">The step size.</param>
/// <param name="Seed">Seeds the random initial weights.</param>
internal sealed record TrainSettings(int Epochs, double LearningRate, ulong Seed);
