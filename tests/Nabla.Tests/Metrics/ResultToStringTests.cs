using Nabla.Metrics;

namespace Nabla.Tests.Metrics;

/// <summary>The metrics' result records print their scores, not type names.</summary>
public class ResultToStringTests
{
    [Fact]
    public void ClassScores_ListsEachScoreByClass()
    {
        // y_true [a, a, b, b], y_pred [a, b, b, b]: a has precision 1, recall 0.5; b precision 2/3, recall 1.
        var scores = ClassificationMetrics.PrecisionRecallFScoreSupport<string>(["a", "a", "b", "b"], ["a", "b", "b", "b"]);
        Assert.Equal("ClassScores { Labels = [a, b], Precision = [1, 0.666667], Recall = [0.5, 1], FScore = [0.666667, 0.8], Support = [2, 2] }",
            scores.ToString());
    }

    [Fact]
    public void ClassificationReportRow_ShowsItsScores() =>
        Assert.Equal("ClassificationReportRow { Name = cat, Precision = 0.9, Recall = 0.818182, F1 = 0.857143, Support = 11 }",
            new ClassificationReportRow("cat", 0.9, 9.0 / 11, 2 * 0.9 * (9.0 / 11) / (0.9 + 9.0 / 11), 11).ToString());
}
