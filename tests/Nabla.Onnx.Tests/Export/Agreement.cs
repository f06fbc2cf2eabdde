namespace Nabla.Onnx.Tests.Export;

/// <summary>How close ONNX Runtime's Float32 outputs must be to Nabla's: 1e-5 relative to the value, and 1e-5 absolute below 1.</summary>
internal static class Agreement
{
    public const double Tolerance = 1e-5;

    /// <summary>Fails naming the first value (row and column of <paramref name="columns"/>) that differs by more than the tolerance.</summary>
    public static void Close(string what, IReadOnlyList<double> expected, IReadOnlyList<float> actual, int columns = 1)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            double scale = Math.Max(1, Math.Abs(expected[i]));
            if (!(Math.Abs(actual[i] - expected[i]) <= Tolerance * scale))
                Assert.Fail($"{what}: row {i / columns}, column {i % columns}: ONNX Runtime gives {actual[i]:R}, Nabla {expected[i]:R}.");
        }
    }
}
