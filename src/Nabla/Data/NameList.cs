namespace Nabla.Data;

/// <summary>Column names in a message: all of a few, the first few of many, so that one line stays readable whatever the width of the file.</summary>
internal static class NameList
{
    /// <summary>The first few of <paramref name="names"/> and how many more there are: a list a reader takes in at a glance.</summary>
    public static string Abridged(IReadOnlyList<string> names)
    {
        const int Shown = 5;
        return names.Count <= Shown + 1
            ? string.Join(", ", names)
            : $"{string.Join(", ", names.Take(Shown))} and {names.Count - Shown} more";
    }
}
