using Nabla.Estimators;

namespace Nabla.Tests.Estimators;

/// <summary>LinearSvc against scikit-learn 1.2's LinearSVC (liblinear) on iris and breast cancer (Fixtures/sklearn_sgd.json).</summary>
public class LinearSvcTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string> CaseNames() => [.. SgdFixture.Value.Svc.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Matches_scikit_learn(string name)
    {
        var c = SgdFixture.Value.Svc.Single(c => c.Name == name);
        var (x, y) = SgdFixture.Dataset(c.Dataset);
        var loss = c.Loss == "hinge" ? LinearSvcLoss.Hinge : LinearSvcLoss.SquaredHinge;
        bool sklearnConverged = c.NIter < 1000, tightConverged = c.TightNIter < 1_000_000;
        // scikit-learn's weights at tol 1e-4 lie within 4e-5 of the optimum where it converged, so the
        // optimum must be within 1e-4 of them; where it ran out of passes, its tol 1e-12 solution is
        // the reference, and where even that ran out, the optimum must do at least as well on its objective.
        var optimum = new LinearSvc(loss: loss, C: c.C, tol: 1e-10, maxIter: 1_000_000).Fit(x, y);
        Assert.True(optimum.NIter < 1_000_000, $"{optimum.NIter} passes");
        Assert.Equal(c.CoefShape, optimum.Coef.ShapeArray);
        if (sklearnConverged || tightConverged)
        {
            AssertWithin(sklearnConverged ? c.Coef : c.TightCoef, optimum.Coef.Float64Data);
            AssertWithin(sklearnConverged ? c.Intercept : c.TightIntercept, optimum.Intercept.Float64Data);
        }
        double objective = Objective(optimum, x, y, c.C, loss);
        Assert.True(objective <= c.TightObjective * (1 + 1e-9), $"objective {objective:R}, scikit-learn's {c.TightObjective:R}");
        var model = new LinearSvc(loss: loss, C: c.C).Fit(x, y);
        if (sklearnConverged) Assert.Equal(c.Predictions, model.Predict(x));
        Assert.InRange(model.Score(x, y), c.Score - 0.01, 1);

        // The same samples as sparse rows (zeros left out): the same problem, so the same optimum and predictions.
        var sparse = new LinearSvc(loss: loss, C: c.C, tol: 1e-10, maxIter: 1_000_000).Fit(SparseOf(x), y);
        Assert.Equal(optimum.Coef.ShapeArray, sparse.Coef.ShapeArray);
        AssertWithin(optimum.Coef.Float64Data, sparse.Coef.Float64Data);
        AssertWithin(optimum.Intercept.Float64Data, sparse.Intercept.Float64Data);
        Assert.Equal(optimum.Predict(x), sparse.Predict(x));
    }

    [Fact]
    public void SparseFit_RefusesNonFiniteValuesAndMismatchedLabels()
    {
        var rows = new Nabla.Text.SparseRows(2, 3, [0, 1, 2], [0, 2], [1.0, double.NaN]);
        Assert.Contains("X holds NaN", Assert.Throws<ArgumentException>(() => new LinearSvc().Fit(rows, new[] { 0, 1 })).Message);
        var good = new Nabla.Text.SparseRows(2, 3, [0, 1, 2], [0, 2], [1.0, 2.0]);
        Assert.Throws<ShapeMismatchException>(() => new LinearSvc().Fit(good, new[] { 0, 1, 1 }));
        Assert.Contains("at least 2 classes", Assert.Throws<ArgumentException>(() => new LinearSvc().Fit(good, new[] { 1, 1 })).Message);
        Assert.Equal(3, new LinearSvc().Fit(good, new[] { 0, 1 }).NFeaturesIn);
    }

    private static Nabla.Text.SparseRows SparseOf(double[,] x)
    {
        int rows = x.GetLength(0), columns = x.GetLength(1);
        var pointers = new List<int> { 0 };
        var indices = new List<int>();
        var kept = new List<double>();
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
                if (x[r, c] != 0)
                {
                    indices.Add(c);
                    kept.Add(x[r, c]);
                }
            pointers.Add(kept.Count);
        }
        return new Nabla.Text.SparseRows(rows, columns, [.. pointers], [.. indices], [.. kept]);
    }

    [Fact]
    public void Bad_settings_and_calls_are_named()
    {
        Assert.Contains("LinearSvc: C must be positive, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new LinearSvc(C: 0)).Message);
        Assert.Contains("LinearSvc: tol must be positive, got -1", Assert.Throws<ArgumentOutOfRangeException>(() => new LinearSvc(tol: -1)).Message);
        Assert.Contains("LinearSvc: maxIter must be at least 1, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new LinearSvc(maxIter: 0)).Message);
        Assert.Contains("LinearSvc: interceptScaling must be positive, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new LinearSvc(interceptScaling: 0)).Message);
        Assert.Contains("loss must be SquaredHinge or Hinge", Assert.Throws<ArgumentOutOfRangeException>(() => new LinearSvc(loss: (LinearSvcLoss)5)).Message);
        Assert.StartsWith("LinearSvc: the hinge loss is solved in the dual only", Assert.Throws<ArgumentException>(() => new LinearSvc(loss: LinearSvcLoss.Hinge, dual: false)).Message);
        var (x, y) = SgdFixture.Dataset("breast_cancer");
        var model = new LinearSvc(C: 0.1).Fit(x, y);
        Assert.StartsWith("LinearSvc: a support vector machine gives margins, not probabilities", Assert.Throws<NotSupportedException>(() => model.PredictProba(x)).Message);
        Assert.Equal("LinearSvc: not fitted yet; call Fit before NIter.", Assert.Throws<InvalidOperationException>(() => new LinearSvc().NIter).Message);
    }

    [Fact]
    public void Balanced_class_weights_favour_the_smaller_class()
    {
        var (x, y) = SgdFixture.Dataset("breast_cancer");
        var plain = new LinearSvc(C: 0.01).Fit(x, y).Predict(x);
        var balanced = new LinearSvc(C: 0.01, classWeight: ClassWeight.Balanced).Fit(x, y).Predict(x);
        // Class 0 (malignant) is the smaller; balancing predicts it at least as often.
        Assert.True(balanced.Count(p => p == 0) > plain.Count(p => p == 0));
    }

    /// <summary>liblinear's primal objective summed over the one-vs-rest problems, the intercept penalised as the bias feature's weight.</summary>
    private static double Objective(LinearSvc model, double[,] x, int[] y, double C, LinearSvcLoss loss)
    {
        var coef = model.Coef.Float64Data;
        var intercept = model.Intercept.Float64Data;
        var scores = model.DecisionFunction(x).Float64Data;
        int rows = intercept.Length;
        double total = 0.5 * (coef.Sum(w => w * w) + intercept.Sum(b => b * b));
        for (int i = 0; i < y.Length; i++)
        {
            for (int r = 0; r < rows; r++)
            {
                int positive = rows == 1 ? 1 : r;
                double slack = Math.Max(0, 1 - (y[i] == positive ? 1 : -1) * scores[i * rows + r]);
                total += C * (loss == LinearSvcLoss.SquaredHinge ? slack * slack : slack);
            }
        }
        return total;
    }

    private static void AssertWithin(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance, $"[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
    }
}
