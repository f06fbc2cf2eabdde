using Nabla.Selection;

namespace Nabla.Cli;

/// <summary>A trial of <c>nabla tune</c>: the search it belongs to and how it ended.</summary>
/// <param name="Family">The model's search that ran it.</param>
/// <param name="Record">Its settings, budget, score and time.</param>
/// <param name="Number">Its number in the whole tune job, from 0: the searches' own numbers, each after those of the searches before it.</param>
internal sealed record TunedTrial(TuneFamily Family, TrialRecord Record, int Number);
