namespace Nabla.Selection;

/// <summary>Draws an index with probability proportional to its weight.</summary>
internal static class WeightedDraw
{
    /// <summary>An index of <paramref name="weights"/> (which sum to 1), drawn by one uniform number.</summary>
    public static int Index(Generator random, IReadOnlyList<double> weights)
    {
        double u = random.NextDouble();
        for (int i = 0; i < weights.Count - 1; i++)
        {
            u -= weights[i];
            if (u < 0) return i;
        }
        return weights.Count - 1; // What rounding leaves of u belongs to the last.
    }
}
