using System.Diagnostics;

namespace Nabla.Bench;

/// <summary>Wall-clock times of repeated calls, for the plain runners.</summary>
internal static class Timing
{
    /// <summary>The times of <paramref name="count"/> calls of <paramref name="call"/>, in seconds, sorted (so [0] is the fastest, [count / 2] the median).</summary>
    public static double[] Sorted(int count, Action call)
    {
        var times = new double[count];
        for (int i = 0; i < count; i++)
        {
            var clock = Stopwatch.StartNew();
            call();
            times[i] = clock.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return times;
    }
}
