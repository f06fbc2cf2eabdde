namespace Nabla.Selection;

/// <summary>
/// One split of a cross-validation: the indices of the samples a model trains on and of those it
/// is scored on. The two never share a sample.
/// </summary>
/// <param name="Train">The indices of the training samples.</param>
/// <param name="Test">The indices of the held-out samples.</param>
public sealed record Fold(int[] Train, int[] Test);
