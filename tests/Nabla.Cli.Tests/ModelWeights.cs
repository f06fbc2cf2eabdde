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
        foreach (var (name, difference) in RelativeDifferences(expectedPath, actualPath))
            Assert.True(difference <= relative, $"tensor {name}: largest difference {difference:G4} of its largest magnitude (allowed {relative:G2})");
    }

    /// <summary>Each tensor's largest difference between the files, relative to the largest magnitude of <paramref name="expectedPath"/>'s tensor.</summary>
    public static IEnumerable<(string Name, double Difference)> RelativeDifferences(string expectedPath, string actualPath)
    {
        var expected = Safetensors.Read(expectedPath).Tensors;
        var actual = Safetensors.Read(actualPath).Tensors;
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, tensor) in expected)
        {
            double[] want = tensor.To(DType.Float64).ToArray<double>(), got = actual[name].To(DType.Float64).ToArray<double>();
            Assert.Equal(want.Length, got.Length);
            double difference = want.Zip(got, (a, b) => Math.Abs(a - b)).DefaultIfEmpty().Max(), scale = want.DefaultIfEmpty().Max(Math.Abs);
            // A tensor of zeros (an untouched bias) is compared absolutely.
            yield return (name, scale == 0 ? difference : difference / scale);
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
