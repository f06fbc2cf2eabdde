using System.Globalization;

namespace Nabla.Selection;

/// <summary>One scorer's score on each fold of a cross-validation, with their mean and standard deviation.</summary>
public sealed class MetricScores
{
    internal MetricScores(Scorer scorer, double[] perFold)
    {
        (Scorer, PerFold) = (scorer, Array.AsReadOnly(perFold));
        Mean = perFold.Average();
        // The population deviation (ddof 0), as scikit-learn's users take it with scores.std().
        Std = Math.Sqrt(perFold.Sum(s => (s - Mean) * (s - Mean)) / perFold.Length);
    }

    /// <summary>The scorer.</summary>
    public Scorer Scorer { get; }

    /// <summary>The score of each fold's held-out samples, in fold order (scikit-learn's <c>test_NAME</c>).</summary>
    public IReadOnlyList<double> PerFold { get; }

    /// <summary>The mean of the fold scores.</summary>
    public double Mean { get; }

    /// <summary>The standard deviation of the fold scores, dividing by the number of folds (NumPy's default).</summary>
    public double Std { get; }

    /// <summary>"name mean ± std", as "accuracy 0.9533 ± 0.0327".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Scorer.Name} {Mean:G4} ± {Std:G2}");
}
