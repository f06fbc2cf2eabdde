using Nabla.Training;

namespace Nabla.Tests.Training;

/// <summary>RemainingTime: the pace after the first step, so a slow first step (compilation) does not inflate the estimate.</summary>
public sealed class RemainingTimeTests
{
    [Fact]
    public void SlowFirstStep_DoesNotInflateTheEstimate()
    {
        // 1,000 steps of 10 ms after a first step of 1 s: after 100 steps, 900 × 10 ms = 9 s are left.
        var remaining = new RemainingTime();
        remaining.Update(0.001, TimeSpan.FromSeconds(1));
        for (int step = 2; step <= 100; step++) remaining.Update(step / 1000.0, TimeSpan.FromSeconds(1 + (step - 1) * 0.01));

        Assert.Equal(9.0, remaining.Estimate!.Value.TotalSeconds, 9);
        // Counting the first step as well would say 1.99 s / 0.1 × 0.9 = 17.9 s, twice the truth; ten times after 10 steps.
    }

    [Fact]
    public void AfterOneStep_ThereIsNoEstimate_AndWhenDone_ItIsZero()
    {
        var remaining = new RemainingTime();
        Assert.Null(remaining.Estimate);
        remaining.Update(0.5, TimeSpan.FromSeconds(3));
        Assert.Null(remaining.Estimate);
        remaining.Update(0.75, TimeSpan.FromSeconds(4));
        Assert.Equal(TimeSpan.FromSeconds(1), remaining.Estimate);
        remaining.Update(1, TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.Zero, remaining.Estimate);
    }

    [Fact]
    public void ProgressThatGoesBack_OrIsOutOfRange_IsRefused()
    {
        var remaining = new RemainingTime();
        remaining.Update(0.5, TimeSpan.FromSeconds(3));

        Assert.Contains("progress cannot go back", Assert.Throws<ArgumentOutOfRangeException>(() => remaining.Update(0.4, TimeSpan.FromSeconds(4))).Message);
        Assert.Contains("progress cannot go back", Assert.Throws<ArgumentOutOfRangeException>(() => remaining.Update(0.6, TimeSpan.FromSeconds(2))).Message);
        Assert.Contains("between 0 and 1", Assert.Throws<ArgumentOutOfRangeException>(() => remaining.Update(double.NaN, TimeSpan.FromSeconds(5))).Message);
        Assert.Contains("cannot be negative", Assert.Throws<ArgumentOutOfRangeException>(() => new RemainingTime().Update(0.1, TimeSpan.FromSeconds(-1))).Message);
    }
}
