using Nabla.Data;
using Nabla.Estimators;
using Nabla.Explain;

namespace Nabla.Tests.Explain;

/// <summary>
/// Fixtures/sklearn_permutation_importance.json, written by tools/fixtures/sklearn_permutation_importance.py
/// with scikit-learn 1.2: <c>permutation_importance</c> of a Ridge on diabetes and a LogisticRegression on
/// standardised breast cancer, with the row orders it applied.
/// </summary>
public class PermutationImportanceTests
{
    private sealed record Fixture(List<Case> Cases);

    private sealed record Case(string Name, double BaselineScore, List<List<int>> Permutations, List<List<double>> Importances,
        List<double> ImportancesMean, List<double> ImportancesStd);

    private static readonly Lazy<Fixture> s_fixture = new(() => FixtureFile.Load<Fixture>("sklearn_permutation_importance.json"));

    private const double Tolerance = 1e-10;

    // scikit-learn gives every column the same shuffles.
    private static int[][][] SameForEveryFeature(Case c, int features) =>
        [.. Enumerable.Repeat(c.Permutations.Select(p => p.ToArray()).ToArray(), features)];

    private static void AssertMatches(Case expected, PermutationImportanceResult actual)
    {
        Assert.Equal(expected.BaselineScore, actual.BaselineScore, Tolerance);
        for (int f = 0; f < expected.Importances.Count; f++)
        {
            for (int k = 0; k < expected.Importances[f].Count; k++)
                Assert.Equal(expected.Importances[f][k], actual.Importances[f, k], Tolerance);
            Assert.Equal(expected.ImportancesMean[f], actual.ImportancesMean[f], Tolerance);
            Assert.Equal(expected.ImportancesStd[f], actual.ImportancesStd[f], Tolerance);
        }
    }

    [Fact]
    public void RidgeOnDiabetes_MatchesScikitLearnGivenItsPermutations()
    {
        var data = Datasets.Diabetes();
        var ridge = new Ridge(alpha: 1.0).Fit(data.Features, data.Target);
        var c = s_fixture.Value.Cases.Single(c => c.Name == "diabetes_ridge");
        var result = PermutationImportance.Compute((Tensor rows, Tensor y) => ridge.Score(rows, y), data.Features, data.Target, SameForEveryFeature(c, 10));
        AssertMatches(c, result);
    }

    [Fact]
    public void LogisticRegressionOnBreastCancer_MatchesScikitLearnGivenItsPermutations()
    {
        var data = Datasets.BreastCancer();
        var x = new StandardScaler().FitTransform(data.Features);
        var model = new LogisticRegression(C: 0.1, tol: 1e-10, maxIter: 1000).Fit(x, data.Target);
        var c = s_fixture.Value.Cases.Single(c => c.Name == "breast_cancer_logistic");
        var rows = new double[x.Size(0), x.Size(1)];
        for (int i = 0; i < rows.GetLength(0); i++)
            for (int j = 0; j < rows.GetLength(1); j++) rows[i, j] = x[i, j];
        var result = PermutationImportance.Compute((double[,] permuted, Tensor y) => model.Score(permuted, y), rows, data.Target, SameForEveryFeature(c, 30));
        AssertMatches(c, result);
    }

    /// <summary>y = 3·x₀ + x₁ scored by −(mean squared error): shuffling x₂ costs nothing, x₀ nine times what x₁ costs in expectation.</summary>
    [Fact]
    public void SeededPermutations_AreRepeatableAndRankTheFeatures()
    {
        var generator = new Generator(4);
        var x = Tensor.Randn([400, 3], generator, DType.Float64);
        var y = new double[400];
        for (int i = 0; i < 400; i++) y[i] = 3 * x[i, 0] + x[i, 1];
        double Score(Tensor rows, double[] target) => -Enumerable.Range(0, 400).Average(i => Math.Pow(3 * rows[i, 0] + rows[i, 1] - target[i], 2));
        var first = PermutationImportance.Compute(Score, x, y, repeats: 4, new Generator(9));
        var again = PermutationImportance.Compute(Score, x, y, repeats: 4, new Generator(9));
        Assert.Equal(first.Importances, again.Importances);
        Assert.Equal(0, first.ImportancesMean[2]);
        Assert.Equal(0, first.ImportancesStd[2]);
        // E[(a − a')²] = 2·Var(a) for a shuffled column: 18 for x₀, 2 for x₁.
        Assert.InRange(first.ImportancesMean[0], 14, 22);
        Assert.InRange(first.ImportancesMean[1], 1.5, 2.5);
    }

    [Fact]
    public void Permutations_ThatAreNotPermutations_AreRejectedNamingTheRow()
    {
        var x = new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } };
        int[][][] bad = [[[0, 1, 2]], [[0, 0, 2]]];
        var error = Assert.Throws<ArgumentException>(() => PermutationImportance.Compute((double[,] rows, int _) => rows[0, 0], x, 0, bad));
        Assert.Contains("permutation 0 of feature 1", error.Message);
        Assert.Contains("row 0 is repeated", error.Message);
    }
}
