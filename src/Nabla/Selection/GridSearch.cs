namespace Nabla.Selection;

/// <summary>
/// Tries every combination: each choice's values, and <see cref="PointsPerRange"/> evenly spaced
/// points of each range (on a log scale for a log range; the distinct whole numbers nearest them for
/// an integer range). The last parameter varies fastest, as in scikit-learn's <c>ParameterGrid</c>.
/// </summary>
public sealed class GridSearch : HyperparameterSearch
{
    /// <summary>How many points to take from each range, both ends included (default 5).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 2.</exception>
    public int PointsPerRange
    {
        get;
        init => field = value >= 2 ? value : throw new ArgumentOutOfRangeException(nameof(PointsPerRange), value, $"PointsPerRange must be at least 2, got {value}.");
    } = 5;

    internal override string Settings => $"grid(points={PointsPerRange})";

    /// <summary>The values the grid takes for <paramref name="distribution"/>.</summary>
    internal object[] Values(ParameterDistribution distribution)
    {
        if (distribution is ChoiceDistribution choice) return Enumerable.Range(0, choice.Count).Select(i => choice[i]).ToArray();
        var range = (RangeDistribution)distribution;
        double low = range.IsLog ? Math.Log(range.Low) : range.Low, high = range.IsLog ? Math.Log(range.High) : range.High;
        var points = Enumerable.Range(0, PointsPerRange).Select(i =>
        {
            // The ends exactly, not as exp(log(x)) rounds them.
            if (i == 0) return range.Low;
            if (i == PointsPerRange - 1) return range.High;
            double x = low + (high - low) * i / (PointsPerRange - 1);
            return range.IsLog ? Math.Exp(x) : x;
        });
        return range.IsInteger
            ? points.Select(point => (int)Math.Round(point)).Distinct().Cast<object>().ToArray()
            : points.Cast<object>().ToArray();
    }

    /// <summary>How many trials the grid over <paramref name="space"/> has; a number above <see cref="int.MaxValue"/> means at least that many.</summary>
    public long Combinations(SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        return space.Parameters.Aggregate(1L, (product, parameter) => Math.Min(product * Values(parameter.Value).Length, int.MaxValue + 1L));
    }

    private protected override void CheckSpace(SearchSpace space)
    {
        long combinations = Combinations(space);
        if (combinations > int.MaxValue) throw new ArgumentException($"The grid over {space} has more than {int.MaxValue} combinations; use fewer points or a random search.", nameof(space));
    }

    private protected override IEnumerable<IReadOnlyList<TrialRequest>> Plan(SearchRun run)
    {
        var axes = run.Space.Parameters.Select(parameter => Values(parameter.Value)).ToArray();
        int count = axes.Aggregate(1, (product, axis) => product * axis.Length);
        var requests = new List<TrialRequest>(count);
        for (int n = 0; n < count; n++)
        {
            var values = new object[axes.Length];
            int rest = n;
            for (int p = axes.Length - 1; p >= 0; p--)
            {
                values[p] = axes[p][rest % axes[p].Length];
                rest /= axes[p].Length;
            }
            requests.Add(new TrialRequest(run.Parameters(values), MaxBudget));
        }
        yield return requests;
    }
}
