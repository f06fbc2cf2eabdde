namespace Nabla.Training;

/// <summary>One point of a trial's learning curve in a run log: the value the trial reported after a step of its budget.</summary>
/// <param name="Step">The step (an epoch, say) it was reported after.</param>
/// <param name="Value">The value, in the search's direction, as its pruner compared it; NaN or an infinity when training diverged.</param>
public readonly record struct RunCurvePoint(int Step, double Value);
