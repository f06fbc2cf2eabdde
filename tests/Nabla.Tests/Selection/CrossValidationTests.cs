using Nabla.Metrics;
using Nabla.Selection;
using Csv = Nabla.Tests.Estimators.Csv;
using StandardScaler = Nabla.Data.StandardScaler;
using Nabla.Estimators;

namespace Nabla.Tests.Selection;

/// <summary>
/// CrossValidate's behaviour beyond the reference scores: each fold's score equals a model fitted by
/// hand on that fold, the defaults (stratified folds, the estimator's own score), pipelines fitted per
/// fold, the summary, and the refusals.
/// </summary>
public class CrossValidationTests
{
    private static readonly Lazy<Csv> s_iris = new(() => Csv.Load("iris.csv"));
    private static readonly Lazy<Csv> s_diabetes = new(() => Csv.Load("diabetes.csv"));

    private static double[] Targets => [.. s_diabetes.Value.Target.Select(double.Parse)];

    [Fact]
    public void EachFoldScore_EqualsAModelFittedByHandOnThatFold()
    {
        var (x, y) = (s_iris.Value.Features, s_iris.Value.Target);
        var cv = new StratifiedKFold(3, shuffle: true, randomState: 8);
        var result = CrossValidation.CrossValidate(() => new LogisticRegression(C: 0.5), x, y, cv, ["accuracy", "f1_macro"]);
        var folds = cv.Split(y);
        for (int f = 0; f < 3; f++)
        {
            Assert.Equal(folds[f].Test, result.Folds[f].Test);
            var (train, test) = (folds[f].Train, folds[f].Test);
            var model = new LogisticRegression(C: 0.5).Fit(Rows(x, train), Items(y, train));
            var predicted = model.Predict<string>(Rows(x, test));
            Assert.Equal(model.Score(Rows(x, test), Items(y, test)), result["accuracy"].PerFold[f]);
            Assert.Equal(ClassificationMetrics.F1(Items(y, test), predicted, Average.Macro), result["f1_macro"].PerFold[f]);
        }
        var accuracy = result["accuracy"].PerFold;
        Assert.Equal(accuracy.Average(), result["accuracy"].Mean, 12);
        Assert.Equal(Math.Sqrt(accuracy.Select(a => (a - accuracy.Average()) * (a - accuracy.Average())).Average()), result["accuracy"].Std, 12);
        Assert.All(result.FitTimes, t => Assert.True(t > TimeSpan.Zero));
        Assert.Equal(3, result.ScoreTimes.Count);
    }

    [Fact]
    public void ByDefault_AClassifierIsScoredByAccuracyOnFiveStratifiedFolds()
    {
        var (x, y) = (s_iris.Value.Features, s_iris.Value.Target);
        var result = CrossValidation.CrossValidate(() => new LogisticRegression(), x, y);
        Assert.Equal("accuracy", Assert.Single(result.Scores).Scorer.Name);
        Assert.Equal(new StratifiedKFold(5).Split(y).Select(f => f.Test), result.Folds.Select(f => f.Test));
        // Stratified folds of sorted iris hold 10 of each species, so a linear model does well on each.
        Assert.All(result["accuracy"].PerFold, a => Assert.InRange(a, 0.9, 1.0));
    }

    [Fact]
    public void APipeline_IsFittedAfreshOnEachFold_AsByHand()
    {
        var x = s_diabetes.Value.Features;
        var result = CrossValidation.CrossValidate(() => new Pipeline(new StandardScaler(), new Ridge(alpha: 10)), x, Targets, new KFold(4), ["r2", "rmse"]);
        var folds = new KFold(4).Split(x.GetLength(0));
        var (train, test) = (folds[2].Train, folds[2].Test);
        var byHand = new Pipeline(new StandardScaler(), new Ridge(alpha: 10)).Fit(Rows(x, train), Items(Targets, train));
        Assert.Equal(byHand.Score(Rows(x, test), Items(Targets, test)), result["r2"].PerFold[2], 12);
        Assert.False(result["rmse"].Scorer.GreaterIsBetter);
        Assert.True(result["rmse"].Scorer.IsBetter(50, 60));
    }

    [Fact]
    public void AScorerThatDoesNotFitTheModel_OrIsUnknown_IsRefused()
    {
        var (x, y) = (s_iris.Value.Features, s_iris.Value.Target);
        Assert.Contains("'r2' is for regression, but the model is a classifier",
            Assert.Throws<ArgumentException>(() => CrossValidation.CrossValidate(() => new LogisticRegression(), x, y, scoring: ["r2"])).Message);
        Assert.Contains("There is no scorer 'acuracy'; the scorers are accuracy",
            Assert.Throws<ArgumentException>(() => CrossValidation.CrossValidate(() => new LogisticRegression(), x, y, scoring: ["acuracy"])).Message);
        Assert.Contains("'f1' is for two classes, but y holds 3",
            Assert.Throws<ArgumentException>(() => CrossValidation.CrossValidate(() => new LogisticRegression(), x, y, scoring: ["f1"])).Message);
    }

    [Fact]
    public void ProbabilityScores_OnAFoldThatLacksAClass_AreRefused()
    {
        // iris is sorted by species: three unshuffled folds each hold out one whole species.
        var (x, y) = (s_iris.Value.Features, s_iris.Value.Target);
        var e = Assert.Throws<InvalidOperationException>(() => CrossValidation.CrossValidate(() => new LogisticRegression(), x, y, new KFold(3), ["neg_log_loss"]));
        Assert.Contains("training rows hold 2 of the 3 classes", e.Message);
    }

    [Fact]
    public void AFactoryThatReturnsTheSameModel_IsRefused()
    {
        var shared = new Ridge();
        var e = Assert.Throws<InvalidOperationException>(() => CrossValidation.CrossValidate(() => shared, s_diabetes.Value.Features, Targets));
        Assert.Contains("returned the same Ridge object twice", e.Message);
    }

    [Fact]
    public void SamplesAndTargetsOfDifferentLengths_AreRefused()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => CrossValidation.CrossValidate(() => new LogisticRegression(), s_iris.Value.Features, s_iris.Value.Target[..100]));
        Assert.Contains("X has 150 samples, y has 100", e.Message);
    }

    [Fact]
    public void GroupKFold_GetsTheGroups_AndNoGroupIsBothTrainedAndTested()
    {
        var x = s_diabetes.Value.Features;
        int[] groups = [.. Enumerable.Range(0, x.GetLength(0)).Select(i => i / 17)];
        var result = CrossValidation.CrossValidate(() => new Ridge(), x, Targets, new GroupKFold(4), groups: groups);
        foreach (var fold in result.Folds)
            Assert.Empty(fold.Train.Select(i => groups[i]).Intersect(fold.Test.Select(i => groups[i])));
    }

    private static double[,] Rows(double[,] x, int[] rows)
    {
        var result = new double[rows.Length, x.GetLength(1)];
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < x.GetLength(1); j++) result[i, j] = x[rows[i], j];
        return result;
    }

    private static T[] Items<T>(IReadOnlyList<T> values, int[] rows) => [.. rows.Select(i => values[i])];
}
