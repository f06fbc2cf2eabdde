using System.Diagnostics;
using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

/// <summary><see cref="ContentionBackoff"/>: a late worker makes calls run alone for a while; a prompt one does not.</summary>
public class ContentionBackoffTests
{
    [Fact]
    public void PromptArrival_KeepsTheWorkers()
    {
        var backoff = new ContentionBackoff(TimeSpan.FromHours(1), TimeSpan.FromHours(1));
        Assert.False(backoff.RunAlone);
        backoff.Arrived(Stopwatch.GetTimestamp());
        Assert.False(backoff.RunAlone);
    }

    [Fact]
    public void LateArrival_RunsCallsAlone_UntilTheWindowHasPassed()
    {
        var backoff = new ContentionBackoff(TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1));
        backoff.Arrived(Stopwatch.GetTimestamp() - Stopwatch.Frequency);
        Assert.True(backoff.RunAlone);

        var brief = new ContentionBackoff(TimeSpan.FromMilliseconds(1), TimeSpan.Zero);
        brief.Arrived(Stopwatch.GetTimestamp() - Stopwatch.Frequency);
        Assert.False(brief.RunAlone);
    }
}
