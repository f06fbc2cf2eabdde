namespace Nabla.Selection;

/// <summary>
/// Trains and scores one set of settings: reads <see cref="Trial.Parameters"/>, spends up to
/// <see cref="Trial.Budget"/> (epochs or rows), calls <see cref="Trial.Report"/> after each step so
/// the search can prune it, and returns the score. It may run on several threads at once when the
/// search runs trials in parallel.
/// </summary>
public delegate TrialScore Objective(Trial trial);
