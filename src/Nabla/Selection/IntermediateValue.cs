namespace Nabla.Selection;

/// <summary>A value a trial reported part way (a validation score after an epoch), which pruning compares across trials.</summary>
/// <param name="Step">The step or epoch it was reported at.</param>
/// <param name="Value">The value, in the search's direction (greater is better when maximizing).</param>
public readonly record struct IntermediateValue(int Step, double Value);
