using System.Globalization;

namespace Nabla.Data;

/// <summary>
/// Sorts and names labels as NumPy does for scikit-learn (<c>np.unique</c>): numbers by value,
/// strings by code point (ordinal, never by culture), so classes come out in scikit-learn's order.
/// </summary>
internal static class LabelOrder
{
    /// <summary>The comparer that orders labels as <c>np.sort</c>: ordinal for strings, the default order otherwise.</summary>
    public static IComparer<T> Comparer<T>() =>
        typeof(T) == typeof(string) ? (IComparer<T>)(object)StringComparer.Ordinal : System.Collections.Generic.Comparer<T>.Default;

    /// <summary>The distinct labels of all the lists together, sorted, as <c>np.unique(np.concatenate(lists))</c>.</summary>
    public static T[] Unique<T>(params IReadOnlyList<T>[] lists) where T : notnull
    {
        var set = new HashSet<T>();
        foreach (var list in lists)
            foreach (var label in list) set.Add(label);
        var result = set.ToArray();
        Array.Sort(result, Comparer<T>());
        return result;
    }

    /// <summary>The position of each label in <paramref name="labels"/>.</summary>
    /// <exception cref="ArgumentException">A label appears twice (named).</exception>
    public static Dictionary<T, int> IndexOf<T>(IReadOnlyList<T> labels, string owner) where T : notnull
    {
        var index = new Dictionary<T, int>(labels.Count);
        for (int i = 0; i < labels.Count; i++)
            if (!index.TryAdd(labels[i], i))
                throw new ArgumentException($"{owner}: the label {Describe(labels[i])} appears twice in labels; each label must be given once.", nameof(labels));
        return index;
    }

    /// <summary>A label as messages show it: strings quoted, numbers in invariant culture.</summary>
    public static string Describe<T>(T label) where T : notnull =>
        label is string s ? $"'{s}'" : Convert.ToString(label, CultureInfo.InvariantCulture) ?? "";

    /// <summary>Up to ten labels as messages show them, in brackets.</summary>
    public static string DescribeAll<T>(IEnumerable<T> labels) where T : notnull
    {
        var shown = labels.Take(11).Select(Describe).ToList();
        return "[" + string.Join(", ", shown.Take(10)) + (shown.Count > 10 ? ", ..." : "") + "]";
    }
}
