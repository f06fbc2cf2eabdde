using Nabla.Estimators;
using Nabla.Selection;
using Nabla.Tests.Estimators;

namespace Nabla.Tests.Selection;

/// <summary>
/// CrossValidate against scikit-learn 1.2's cross_validate with KFold(5) unshuffled
/// (Fixtures/sklearn_selection.json): LogisticRegression on iris (species names; also in a fixed
/// shuffled row order, fitted to a tight tolerance, with log loss and ROC AUC) and Ridge on diabetes;
/// every fold's score of every scorer within 1e-6.
/// </summary>
public class CrossValidationReferenceTests
{
    private const double Tolerance = 1e-6;

    public static TheoryData<string> Cases() => [.. SelectionFixture.Value.CrossValidate.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void PerFoldScores_EqualScikitLearns(string name)
    {
        var c = SelectionFixture.Value.CrossValidate.Single(c => c.Name == name);
        var csv = Csv.Load($"{c.Data}.csv");
        var (x, target) = c.Rows is null ? (csv.Features, csv.Target) : Reordered(csv, c.Rows);
        var scoring = c.Scores.Keys.ToArray();
        var result = c.Data == "iris"
            ? CrossValidation.CrossValidate(() => c.Tight ? new LogisticRegression(tol: 1e-10, maxIter: 10000) : new LogisticRegression(), x, target, new KFold(5), scoring)
            : CrossValidation.CrossValidate(() => new Ridge(alpha: 1.0), x, target.Select(double.Parse).ToArray(), new KFold(5), scoring);

        Assert.Equal(scoring, result.Scores.Select(s => s.Scorer.Name));
        foreach (var (metric, expected) in c.Scores)
        {
            var actual = result[metric].PerFold;
            for (int f = 0; f < expected.Count; f++)
                Assert.True(Math.Abs(actual[f] - expected[f]) <= Tolerance * Math.Max(1, Math.Abs(expected[f])),
                    $"{name}: {metric} fold {f}: Nabla {actual[f]:R}, scikit-learn {expected[f]:R}");
            Assert.Equal(expected.Average(), result[metric].Mean, 1e-6);
        }
    }

    private static (double[,] X, string[] Target) Reordered(Csv csv, List<int> rows)
    {
        var x = new double[rows.Count, csv.Features.GetLength(1)];
        for (int i = 0; i < rows.Count; i++)
            for (int j = 0; j < x.GetLength(1); j++) x[i, j] = csv.Features[rows[i], j];
        return (x, [.. rows.Select(r => csv.Target[r])]);
    }
}
