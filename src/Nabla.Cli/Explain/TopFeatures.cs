namespace Nabla.Cli;

/// <summary>Which features to show: the largest by magnitude first, a tie in feature order.</summary>
internal static class TopFeatures
{
    /// <summary>The indices of the <paramref name="top"/> largest |<paramref name="values"/>| (every one when 0), largest first.</summary>
    public static int[] Of(IReadOnlyList<double> values, int top)
    {
        var order = Enumerable.Range(0, values.Count).OrderByDescending(i => Math.Abs(values[i])).ThenBy(i => i);
        return [.. top == 0 ? order : order.Take(top)];
    }
}
