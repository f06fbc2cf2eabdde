namespace Nabla.Onnx.Tests;

/// <summary>
/// How close a Float32 result must be to its reference (Nabla's, PyTorch's or ONNX Runtime's): 1e-5 relative to the value, and
/// 1e-5 absolute below 1, where Float32 sums of terms far larger than the result round at that scale.
/// </summary>
internal static class Agreement
{
    public const double Tolerance = 1e-5;

    /// <summary>Whether <paramref name="actual"/> is within the tolerance of <paramref name="expected"/>.</summary>
    public static bool Within(double expected, double actual) => Math.Abs(actual - expected) <= Tolerance * Math.Max(1, Math.Abs(expected));

    /// <summary>Fails naming the first value (row and column of <paramref name="columns"/>) that differs by more than the tolerance.</summary>
    public static void Close(string what, IReadOnlyList<double> expected, IReadOnlyList<float> actual, int columns = 1)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            if (!Within(expected[i], actual[i]))
                Assert.Fail($"{what}: row {i / columns}, column {i % columns}: the result is {actual[i]:R}, the reference {expected[i]:R}.");
    }

    /// <summary>Fails unless <paramref name="actual"/> has <paramref name="expected"/>'s shape and every value is within the tolerance.</summary>
    public static void Close(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        double[] e = expected.ToDoubleArray(), a = actual.ToDoubleArray();
        for (int i = 0; i < e.Length; i++)
            Assert.True(Within(e[i], a[i]), $"{what}: value {i} is {a[i]:R}, the reference {e[i]:R}");
    }

    /// <summary>Fails unless <paramref name="actual"/> is within the tolerance of <paramref name="expected"/>.</summary>
    public static void Close(double expected, double actual, string what) =>
        Assert.True(Within(expected, actual), $"{what} is {actual:R}, the reference {expected:R}");
}
