using Nabla.Calculus;

namespace Nabla.Tests.Calculus;

/// <summary>The calculus results print their values with their error estimates, not type names.</summary>
public class ResultToStringTests
{
    [Fact]
    public void Estimate_IsValuePlusMinusError() =>
        Assert.Equal("2.22324 ± 1.23e-11", new Estimate(2.223244275483933, 1.23456e-11).ToString());

    [Fact]
    public void VectorEstimate_PairsEachEntryWithItsError()
    {
        Assert.Equal("[2 ± 1e-10, -0.5 ± 3.33e-11]", new VectorEstimate([2.0, -0.5], [1e-10, 3.3333e-11]).ToString());
        var long_ = new VectorEstimate([.. Enumerable.Range(1, 8).Select(i => (double)i)], new double[8]);
        Assert.Equal("[1 ± 0, 2 ± 0, 3 ± 0, ..., 6 ± 0, 7 ± 0, 8 ± 0] (8 items)", long_.ToString());
    }

    [Fact]
    public void MatrixEstimate_PrintsRowsOfEntriesWithErrors() =>
        Assert.Equal("[[2 ± 1e-10, 0 ± 0], [0 ± 0, 2 ± 1e-10]]",
            new MatrixEstimate(new[,] { { 2.0, 0 }, { 0, 2.0 } }, new[,] { { 1e-10, 0 }, { 0, 1e-10 } }).ToString());

    [Fact]
    public void NumericDiffGradient_PrintsItsValues()
    {
        // ∇(x² + 3y) at (1, 2) is (2, 3); the error estimates are tiny, so only the values are checked.
        string text = NumericDiff.Gradient(v => v[0] * v[0] + 3 * v[1], [1.0, 2.0]).ToString();
        Assert.Matches(@"^\[2 ± [0-9.e+-]+, 3 ± [0-9.e+-]+\]$", text);
    }

    [Fact]
    public void IntegrationResult_ShowsValueErrorWork_AndTheMessageWhenUnconverged()
    {
        Assert.Equal("IntegrationResult { Value = 0.333333 ± 3.7e-15, Evaluations = 21, Intervals = 1, Converged = true }",
            new IntegrationResult(1.0 / 3, 3.7e-15, 21, true, null, 1).ToString());
        Assert.Equal("IntegrationResult { Value = 12.5 ± 0.4, Evaluations = 5000, Intervals = 200, Converged = false, Diverges = true, Message = \"too slow\" }",
            new IntegrationResult(12.5, 0.4, 5000, false, "too slow", 200) { Diverges = true }.ToString());
    }

    [Fact]
    public void MonteCarloResult_ShowsTheStandardErrorAndSamples() =>
        Assert.Equal("MonteCarloResult { Value = 3.14159 ± 0.0164, Samples = 10000 }", new MonteCarloResult(3.14159265, 0.016421, 10000).ToString());

    [Fact]
    public void LimitResult_ShowsStatusSidesAndReason() =>
        Assert.Equal("LimitResult { Value = 1 ± 1e-15, Status = Converged, Left = 1, Right = 1, Evaluations = 30, Reason = \"both sides agree\" }",
            new LimitResult { Value = 1, Error = 1e-15, Status = LimitStatus.Converged, Reason = "both sides agree", Left = 1, Right = 1, Evaluations = 30 }.ToString());
}
