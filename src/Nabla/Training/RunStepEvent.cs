namespace Nabla.Training;

/// <summary>A training batch in a run log, written every <see cref="RunLog.StepInterval"/> batches.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Step">The optimizer steps taken so far in the fit, this one included.</param>
/// <param name="Loss">The batch's loss.</param>
/// <param name="LearningRate">The optimizer's learning rate after the step.</param>
public sealed record RunStepEvent(int Epoch, long Step, double Loss, double LearningRate);
