namespace Nabla.Optim.Schedulers;

/// <summary>Checks a scheduler state being loaded: exactly the expected names, each with a usable value.</summary>
internal static class SchedulerState
{
    /// <summary>Throws unless <paramref name="state"/> holds exactly <paramref name="names"/>.</summary>
    public static void RequireNames(IReadOnlyDictionary<string, double> state, IEnumerable<string> names, string owner)
    {
        ArgumentNullException.ThrowIfNull(state);
        var expected = names.ToHashSet();
        var missing = expected.Where(n => !state.ContainsKey(n)).Order(StringComparer.Ordinal).ToList();
        var unknown = state.Keys.Where(n => !expected.Contains(n)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || unknown.Count > 0)
            throw new ArgumentException($"LoadStateDict: the state does not fit {owner}: missing [{string.Join(", ", missing)}], unknown [{string.Join(", ", unknown)}].", nameof(state));
    }

    /// <summary>A count stored as a double: a whole number ≥ <paramref name="minimum"/>.</summary>
    public static int Count(IReadOnlyDictionary<string, double> state, string name, int minimum = 0)
    {
        double value = state[name];
        if (!(value >= minimum && value <= int.MaxValue && value == Math.Floor(value)))
            throw new ArgumentException($"LoadStateDict: '{name}' must be a whole number ≥ {minimum}, got {Hyperparameters.Format(value)}.", nameof(state));
        return (int)value;
    }
}
