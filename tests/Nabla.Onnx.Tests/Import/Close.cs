namespace Nabla.Onnx.Tests.Import;

/// <summary>Compares computed values with reference ones to a relative tolerance, with a small absolute floor for values near zero.</summary>
internal static class Close
{
    /// <summary>The tolerance relative to the reference value.</summary>
    public const double Relative = 1e-5;

    /// <summary>The least tolerance, for reference values near zero (Float32 arithmetic rounds at about 6e-8 of the largest term).</summary>
    public const double Absolute = 1e-6;

    /// <summary>Fails unless <paramref name="actual"/> has <paramref name="expected"/>'s shape and every value is within the tolerance.</summary>
    public static void Equal(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        double[] e = expected.ToDoubleArray(), a = actual.ToDoubleArray();
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(a[i] - e[i]) <= Relative * Math.Abs(e[i]) + Absolute, $"{what}: value {i} is {a[i]}, expected {e[i]}");
    }

    /// <summary>Fails unless <paramref name="actual"/> is within the tolerance of <paramref name="expected"/>.</summary>
    public static void Equal(double expected, double actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= Relative * Math.Abs(expected) + Absolute, $"{what} is {actual}, expected {expected}");
}
