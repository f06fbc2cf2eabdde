namespace Nabla.Selection;

/// <summary>What an objective returns: the trial's score and, when it averages several folds or repeats, their standard deviation.</summary>
/// <param name="Value">The score; the search's <see cref="SearchDirection"/> says whether greater is better.</param>
/// <param name="Std">The standard deviation behind <paramref name="Value"/>, or null when there is none.</param>
public readonly record struct TrialScore(double Value, double? Std = null)
{
    /// <summary>A score with no standard deviation.</summary>
    public static implicit operator TrialScore(double value) => new(value);
}
