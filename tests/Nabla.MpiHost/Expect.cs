namespace Nabla.MpiHost;

/// <summary>The checks a scenario makes; a failed one throws, and the host aborts the job with its message.</summary>
internal static class Expect
{
    /// <summary>Throws <see cref="InvalidDataException"/> with <paramref name="failure"/> unless <paramref name="condition"/> holds.</summary>
    public static void That(bool condition, string failure)
    {
        if (!condition) throw new InvalidDataException(failure);
    }

    /// <summary>Throws unless <paramref name="actual"/> equals <paramref name="expected"/> element by element, naming the first difference.</summary>
    public static void Equal<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, string what) where T : IEquatable<T>
    {
        That(expected.Length == actual.Length, $"{what}: {actual.Length} elements, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
            That(expected[i].Equals(actual[i]), $"{what}: element {i} is {actual[i]}, expected {expected[i]}");
    }
}
