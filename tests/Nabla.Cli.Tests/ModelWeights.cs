using Nabla.IO;

namespace Nabla.Cli.Tests;

/// <summary>Compares the tensors of two model files written by <c>nabla train</c>, name by name.</summary>
internal static class ModelWeights
{
    /// <summary>
    /// Asserts that both files hold the same tensors and that, in each, the largest difference is at most
    /// <paramref name="relative"/> times the largest magnitude of <paramref name="expectedPath"/>'s tensor.
    /// </summary>
    public static void AssertClose(string expectedPath, string actualPath, double relative)
    {
        var expected = Safetensors.Read(expectedPath).Tensors;
        var actual = Safetensors.Read(actualPath).Tensors;
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, tensor) in expected)
        {
            double[] want = tensor.To(DType.Float64).ToArray<double>(), got = actual[name].To(DType.Float64).ToArray<double>();
            Assert.Equal(want.Length, got.Length);
            double scale = want.Max(Math.Abs), difference = want.Zip(got, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(difference <= relative * scale, $"tensor {name}: largest difference {difference:G4} against largest magnitude {scale:G4} (allowed {relative:G2} relative)");
        }
    }

    /// <summary>Asserts that both files hold the same tensors, bit for bit.</summary>
    public static void AssertIdentical(string expectedPath, string actualPath)
    {
        var expected = SafetensorsHeader.Read(expectedPath).Data;
        var actual = SafetensorsHeader.Read(actualPath).Data;
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in expected) Assert.True(bytes.AsSpan().SequenceEqual(actual[name]), $"tensor {name} differs");
    }
}
