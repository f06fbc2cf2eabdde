using System.Text;

namespace Nabla.Tests;

/// <summary>A tensor as a reference fixture stores it: shape and row-major values.</summary>
internal sealed record TensorData(int[] Shape, double[] Values)
{
    /// <summary>Reference fixtures are compared to 1e-10 relative, with this floor near zero.</summary>
    internal const double RelativeTolerance = 1e-10;

    internal const double AbsoluteFloor = 1e-12;

    /// <summary>Same shape, and every element within 1e-10 relative (1e-12 absolute near zero); the failure lists the first elements that differ.</summary>
    internal void AssertClose(string what, Tensor actual, string reference = "PyTorch")
        => AssertClose(what, actual, RelativeTolerance, AbsoluteFloor, reference);

    /// <summary>Same shape, and every element within <paramref name="relative"/> of the reference, or <paramref name="absolute"/> near zero (Float32 results, for example).</summary>
    internal void AssertClose(string what, Tensor actual, double relative, double absolute, string reference = "PyTorch")
    {
        Assert.True(Shape.SequenceEqual(actual.Shape),
            $"{what}: shape [{string.Join(", ", actual.Shape)}], {reference} [{string.Join(", ", Shape)}]");
        var values = actual.ToDoubleArray();
        var report = new StringBuilder();
        int bad = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double e = Values[i], a = values[i];
            if (Math.Abs(a - e) <= relative * Math.Abs(e) + absolute) continue;
            if (bad++ < 5) report.Append($"\n  [{i}] Nabla {a:R}, {reference} {e:R} (difference {a - e:E2})");
        }
        Assert.True(bad == 0, $"{what}: {bad} of {values.Length} elements differ from {reference}:{report}");
    }
}
