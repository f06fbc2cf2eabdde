namespace Nabla.Selection;

/// <summary>
/// What <see cref="CrossValidation"/> measured: each scorer's score on every fold with their mean
/// and standard deviation, the time each fold took to fit and to score, and the folds themselves.
/// </summary>
public sealed class CrossValidationResult
{
    private readonly MetricScores[] _scores;

    internal CrossValidationResult(IReadOnlyList<Fold> folds, MetricScores[] scores, TimeSpan[] fitTimes, TimeSpan[] scoreTimes)
    {
        (Folds, _scores, FitTimes, ScoreTimes) = (folds, scores, Array.AsReadOnly(fitTimes), Array.AsReadOnly(scoreTimes));
    }

    /// <summary>The folds, as the splitter gave them.</summary>
    public IReadOnlyList<Fold> Folds { get; }

    /// <summary>The scores of each scorer, in the order asked for.</summary>
    public IReadOnlyList<MetricScores> Scores => _scores;

    /// <summary>The time each fold's fit took (scikit-learn's <c>fit_time</c>).</summary>
    public IReadOnlyList<TimeSpan> FitTimes { get; }

    /// <summary>The time each fold's predictions and scores took (scikit-learn's <c>score_time</c>).</summary>
    public IReadOnlyList<TimeSpan> ScoreTimes { get; }

    /// <summary>The scores of the scorer named <paramref name="scorer"/>.</summary>
    /// <exception cref="KeyNotFoundException">The cross-validation did not use that scorer.</exception>
    public MetricScores this[string scorer] =>
        Array.Find(_scores, s => s.Scorer.Name == scorer)
        ?? throw new KeyNotFoundException($"CrossValidationResult: no scores for '{scorer}'; it holds {string.Join(", ", _scores.Select(s => s.Scorer.Name))}.");

    /// <summary>Every scorer's "name mean ± std", separated by semicolons.</summary>
    public override string ToString() => string.Join("; ", _scores.Select(s => s.ToString()));
}
