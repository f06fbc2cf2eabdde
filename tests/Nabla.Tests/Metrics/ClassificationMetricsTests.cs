using System.Text.Json;
using Nabla.Metrics;

namespace Nabla.Tests.Metrics;

/// <summary>
/// Every classification metric against scikit-learn 1.2 (Fixtures/sklearn_metrics.json): binary,
/// multi-class and string labels, classes missing from the predictions, given label lists, both
/// zero-division values and every averaging mode; then the bad inputs a user would make.
/// </summary>
public class ClassificationMetricsTests
{
    public static TheoryData<string> CaseNames() => [.. SklearnFixture.Value.Classification.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Metrics_MatchScikitLearn(string name)
    {
        var c = SklearnFixture.Value.Classification.Single(c => c.Name == name);
        if (c.LabelType == "int") Check(c, SklearnFixture.Ints);
        else Check(c, labels => labels.ToArray());
    }

    private static void Check<T>(ClassificationCase c, Func<IEnumerable<string>, T[]> parse) where T : notnull
    {
        T[] yTrue = parse(c.YTrue), yPred = parse(c.YPred);
        T[]? labels = c.Labels is null ? null : parse(c.Labels);
        SklearnFixture.AssertClose(c.Accuracy, ClassificationMetrics.Accuracy(yTrue, yPred), "accuracy");
        SklearnFixture.AssertClose(c.AccuracyCount, ClassificationMetrics.Accuracy(yTrue, yPred, normalize: false), "accuracy count");

        var cm = ClassificationMetrics.ConfusionMatrix(yTrue, yPred, labels);
        Assert.Equal(c.Confusion.SelectMany(r => r), cm.Cast<int>());
        SklearnFixture.AssertClose(c.ConfusionTrue, ClassificationMetrics.ConfusionMatrix(yTrue, yPred, ConfusionNormalization.True, labels), "confusion true");
        SklearnFixture.AssertClose(c.ConfusionPred, ClassificationMetrics.ConfusionMatrix(yTrue, yPred, ConfusionNormalization.Pred, labels), "confusion pred");
        SklearnFixture.AssertClose(c.ConfusionAll, ClassificationMetrics.ConfusionMatrix(yTrue, yPred, ConfusionNormalization.All, labels), "confusion all");

        foreach (var (zd, expected) in new[] { (0.0, c.ZeroDivision0), (1.0, c.ZeroDivision1) })
        {
            foreach (var (average, scores) in new[] { (Average.Micro, expected.Micro), (Average.Macro, expected.Macro), (Average.Weighted, expected.Weighted) })
            {
                string what = $"{average}, zeroDivision {zd}";
                SklearnFixture.AssertClose(scores.Precision, ClassificationMetrics.Precision(yTrue, yPred, average, labels, zd), $"precision {what}");
                SklearnFixture.AssertClose(scores.Recall, ClassificationMetrics.Recall(yTrue, yPred, average, labels, zd), $"recall {what}");
                SklearnFixture.AssertClose(scores.F1, ClassificationMetrics.F1(yTrue, yPred, average, labels, zd), $"F1 {what}");
                SklearnFixture.AssertClose(scores.F05, ClassificationMetrics.FBeta(yTrue, yPred, 0.5, average, labels, zd), $"F0.5 {what}");
                SklearnFixture.AssertClose(scores.F2, ClassificationMetrics.FBeta(yTrue, yPred, 2, average, labels, zd), $"F2 {what}");
            }
            var all = ClassificationMetrics.PrecisionRecallFScoreSupport(yTrue, yPred, 1, labels, zd);
            SklearnFixture.AssertClose(expected.PerClass.Precision, ClassificationMetrics.PrecisionPerClass(yTrue, yPred, labels, zd), "precision per class");
            SklearnFixture.AssertClose(expected.PerClass.Recall, ClassificationMetrics.RecallPerClass(yTrue, yPred, labels, zd), "recall per class");
            SklearnFixture.AssertClose(expected.PerClass.F1, ClassificationMetrics.F1PerClass(yTrue, yPred, labels, zd), "F1 per class");
            SklearnFixture.AssertClose(expected.PerClass.F2, ClassificationMetrics.FBetaPerClass(yTrue, yPred, 2, labels, zd), "F2 per class");
            SklearnFixture.AssertClose(expected.PerClass.F1, all.FScore, "F-score of PrecisionRecallFScoreSupport");
            Assert.Equal(expected.PerClass.Support, all.Support);
        }

        if (c.Binary is { } binary)
        {
            T posLabel = parse([binary.PosLabel])[0];
            foreach (var (zd, expected) in new[] { (0.0, binary.ZeroDivision0), (1.0, binary.ZeroDivision1) })
            {
                SklearnFixture.AssertClose(expected.Precision, ClassificationMetrics.Precision(yTrue, yPred, posLabel, zd), $"binary precision, zeroDivision {zd}");
                SklearnFixture.AssertClose(expected.Recall, ClassificationMetrics.Recall(yTrue, yPred, posLabel, zd), $"binary recall, zeroDivision {zd}");
                SklearnFixture.AssertClose(expected.F1, ClassificationMetrics.F1(yTrue, yPred, posLabel, zd), $"binary F1, zeroDivision {zd}");
                SklearnFixture.AssertClose(expected.F2, ClassificationMetrics.FBeta(yTrue, yPred, 2, posLabel, zd), $"binary F2, zeroDivision {zd}");
            }
        }

        var report = ClassificationReport.Create(yTrue, yPred, labels, zeroDivision: 0);
        Assert.Equal(c.Report, report.ToString());
        Assert.Equal(c.Report4, ClassificationReport.Create(yTrue, yPred, labels, zeroDivision: 1).Format(digits: 4));
        SklearnFixture.AssertClose(c.ZeroDivision0.Macro.F1, report.MacroAverage.F1, "report macro F1");
        SklearnFixture.AssertClose(c.ZeroDivision0.PerClass.Recall, [.. report.Classes.Select(r => r.Recall)], "report recall per class");
    }

    public static TheoryData<string> RocNames() => [.. SklearnFixture.Value.RocAuc.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(RocNames))]
    public void RocAuc_MatchesScikitLearn(string name)
    {
        var c = SklearnFixture.Value.RocAuc.Single(c => c.Name == name);
        double actual;
        if (c.MultiClass is null)
        {
            var scores = c.YScore.Deserialize<double[]>()!;
            actual = c.LabelType == "int" ? ClassificationMetrics.RocAuc(SklearnFixture.Ints(c.YTrue), scores) : ClassificationMetrics.RocAuc(c.YTrue, scores);
        }
        else
        {
            var scores = SklearnFixture.Matrix(c.YScore.Deserialize<List<List<double>>>()!);
            var multiClass = c.MultiClass == "ovr" ? MultiClass.Ovr : MultiClass.Ovo;
            var average = Enum.Parse<Average>(c.Average!, ignoreCase: true);
            actual = ClassificationMetrics.RocAuc(SklearnFixture.Ints(c.YTrue), scores, multiClass, average, c.Labels is null ? null : SklearnFixture.Ints(c.Labels));
            if (c.Labels is null)
                SklearnFixture.AssertClose(c.Value, ClassificationMetrics.RocAuc(Tensor.FromArray(SklearnFixture.Ints(c.YTrue)), Tensor.FromArray(scores), multiClass, average), "tensor overload");
        }
        SklearnFixture.AssertClose(c.Value, actual, name);
    }

    public static TheoryData<string> LogLossNames() => [.. SklearnFixture.Value.LogLoss.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(LogLossNames))]
    public void LogLoss_MatchesScikitLearn(string name)
    {
        var c = SklearnFixture.Value.LogLoss.Single(c => c.Name == name);
        var proba = c.YProba.ValueKind == System.Text.Json.JsonValueKind.Array && c.YProba[0].ValueKind == System.Text.Json.JsonValueKind.Array
            ? SklearnFixture.Matrix(c.YProba.Deserialize<List<List<double>>>()!)
            : MetricColumn(c.YProba.Deserialize<double[]>()!);
        if (c.LabelType == "int")
        {
            var labels = c.Labels is null ? null : SklearnFixture.Ints(c.Labels);
            SklearnFixture.AssertClose(c.Value, ClassificationMetrics.LogLoss(SklearnFixture.Ints(c.YTrue), proba, labels, c.Eps), "mean");
            SklearnFixture.AssertClose(c.Sum, ClassificationMetrics.LogLoss(SklearnFixture.Ints(c.YTrue), proba, labels, c.Eps, normalize: false), "sum");
        }
        else
        {
            SklearnFixture.AssertClose(c.Value, ClassificationMetrics.LogLoss(c.YTrue, proba, c.Labels, c.Eps), "mean");
        }
    }

    private static double[,] MetricColumn(double[] values)
    {
        var result = new double[values.Length, 1];
        for (int i = 0; i < values.Length; i++) result[i, 0] = values[i];
        return result;
    }

    [Fact]
    public void LogLoss_OneDimensionalProbabilities_EqualTheTwoColumnForm()
    {
        int[] y = [0, 1, 1, 0, 1];
        double[] p = [0.2, 0.7, 0.9, 0.4, 0.5];
        double[,] both = { { 0.8, 0.2 }, { 0.3, 0.7 }, { 0.1, 0.9 }, { 0.6, 0.4 }, { 0.5, 0.5 } };
        Assert.Equal(ClassificationMetrics.LogLoss(y, both), ClassificationMetrics.LogLoss(y, p), 15);
        Assert.Equal(ClassificationMetrics.LogLoss(y, p), ClassificationMetrics.LogLoss(Tensor.FromArray(y), Tensor.FromArray(p)), 15);
    }

    [Fact]
    public void TensorOverloads_AgreeWithArrays()
    {
        int[] y = [0, 1, 2, 2, 1, 0, 2], p = [0, 2, 2, 1, 1, 0, 0];
        var (ty, tp) = (Tensor.FromArray(y), Tensor.FromArray(p.Select(v => (float)v).ToArray()));
        Assert.Equal(ClassificationMetrics.Accuracy(y, p), ClassificationMetrics.Accuracy(ty, tp));
        Assert.Equal(ClassificationMetrics.F1(y, p, Average.Macro), ClassificationMetrics.F1(ty, tp, Average.Macro));
        Assert.Equal(ClassificationMetrics.Precision(y, p, Average.Weighted), ClassificationMetrics.Precision(ty, tp, Average.Weighted));
        Assert.Equal(ClassificationMetrics.Recall(y, p, Average.Micro), ClassificationMetrics.Recall(ty, tp, Average.Micro));
        Assert.Equal(ClassificationMetrics.ConfusionMatrix(y, p), ClassificationMetrics.ConfusionMatrix(ty, tp));
    }

    [Fact]
    public void LengthMismatch_NamesBothLengths()
    {
        var e = Assert.Throws<ArgumentException>(() => ClassificationMetrics.Accuracy(new[] { 1, 2, 3 }, new[] { 1, 2 }));
        Assert.Contains("3", e.Message);
        Assert.Contains("2", e.Message);
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.F1(new[] { 1, 2, 3 }, new[] { 1 }, Average.Macro));
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.RocAuc(new[] { 0, 1 }, new[] { 0.5 }));
    }

    [Fact]
    public void EmptyInputs_AreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => ClassificationMetrics.Accuracy(Array.Empty<int>(), Array.Empty<int>()));
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void BinaryScore_OfMultiClassLabels_AsksForAnAverage()
    {
        var e = Assert.Throws<ArgumentException>(() => ClassificationMetrics.F1(new[] { 0, 1, 2 }, new[] { 0, 1, 1 }, posLabel: 1));
        Assert.Contains("multi-class", e.Message);
    }

    [Fact]
    public void PosLabel_NotALabel_IsNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => ClassificationMetrics.Precision(new[] { "cat", "dog" }, new[] { "dog", "dog" }, posLabel: "bird"));
        Assert.Contains("'bird'", e.Message);
    }

    [Fact]
    public void ZeroDivision_OtherThanZeroOrOne_IsRejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ClassificationMetrics.Recall(new[] { 0, 1 }, new[] { 0, 1 }, Average.Macro, zeroDivision: 0.5));
        Assert.Contains("0.5", e.Message);
    }

    [Fact]
    public void NegativeBeta_IsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassificationMetrics.FBeta(new[] { 0, 1 }, new[] { 0, 1 }, -1, Average.Macro));

    [Fact]
    public void ConfusionMatrix_LabelsNotInTrue_AreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => ClassificationMetrics.ConfusionMatrix(new[] { 0, 1 }, new[] { 0, 1 }, new[] { 5, 6 }));
        Assert.Contains("yTrue", e.Message);
    }

    [Fact]
    public void RocAuc_OneClass_IsUndefined()
    {
        var e = Assert.Throws<ArgumentException>(() => ClassificationMetrics.RocAuc(new[] { 1, 1, 1 }, new[] { 0.1, 0.5, 0.9 }));
        Assert.Contains("one class", e.Message);
    }

    [Fact]
    public void RocAuc_RowsThatAreNotProbabilities_AreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => ClassificationMetrics.RocAuc(new[] { 0, 1, 2 }, new double[,] { { 0.5, 0.5, 0.5 }, { 0.2, 0.3, 0.5 }, { 0.1, 0.1, 0.8 } }, MultiClass.Ovr));
        Assert.Contains("row 0", e.Message);
    }

    [Fact]
    public void RocAuc_ColumnsUnlikeClasses_AreRejected() =>
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.RocAuc(new[] { 0, 1, 1 }, new double[,] { { 0.2, 0.3, 0.5 }, { 0.2, 0.3, 0.5 }, { 0.2, 0.3, 0.5 } }, MultiClass.Ovo));

    [Fact]
    public void LogLoss_SingleClassWithoutLabels_AsksForLabels()
    {
        var e = Assert.Throws<ArgumentException>(() => ClassificationMetrics.LogLoss(new[] { 1, 1 }, new[] { 0.9, 0.8 }));
        Assert.Contains("labels", e.Message);
    }

    [Fact]
    public void LabelTensor_WithFractions_IsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => ClassificationMetrics.Accuracy(Tensor.FromArray(new[] { 0f, 1.5f }), Tensor.FromArray(new[] { 0, 1 })));
        Assert.Contains("1.5", e.Message);
    }

    [Fact]
    public void Report_Fixed_RoundsTiesToEvenAsPython()
    {
        Assert.Equal("0.12", ClassificationReport.Fixed(0.125, 2));
        Assert.Equal("0.38", ClassificationReport.Fixed(0.375, 2));
        Assert.Equal("0.62", ClassificationReport.Fixed(0.625, 2));
        Assert.Equal("0.67", ClassificationReport.Fixed(2.0 / 3, 2));
        Assert.Equal("1.00", ClassificationReport.Fixed(1, 2));
        Assert.Equal("0.1250", ClassificationReport.Fixed(0.125, 4));
    }
}
