using System.Runtime.InteropServices;
using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

/// <summary>
/// The short dot products against a scalar loop, at every length from 0 to 80 (the vector body of
/// one and two accumulators and every tail, whatever the vector width), and from offsets that leave
/// the rows unaligned.
/// </summary>
public class ShortDotTests
{
    public static TheoryData<int> Lengths() => [.. Enumerable.Range(0, 81)];

    private static double[] Values(int length, ulong seed)
    {
        var generator = new Generator(seed);
        return Enumerable.Range(0, length).Select(_ => generator.NextDouble() * 2 - 1).ToArray();
    }

    private static double Scalar(double[] x, int xStart, double[] y, int yStart, int length)
    {
        double sum = 0;
        for (int i = 0; i < length; i++) sum += x[xStart + i] * y[yStart + i];
        return sum;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Dot_MatchesAScalarLoop(int length)
    {
        var x = Values(length + 4, (ulong)length);
        var y = Values(length + 2, (ulong)length + 1000);

        double dot = ShortDot.Dot(ref x[3], ref y[1], length);

        Assert.Equal(Scalar(x, 3, y, 1, length), dot, 1e-13);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Dot4_MatchesFourScalarLoops(int length)
    {
        // Four rows of a row-major matrix of stride length + 5, from an odd offset.
        int stride = length + 5;
        var x = Values(1 + 4 * stride, (ulong)length + 2000);
        var y = Values(length, (ulong)length + 3000);

        var (d0, d1, d2, d3) = ShortDot.Dot4(ref x[1], stride, ref MemoryMarshal.GetArrayDataReference(y), length);

        Assert.Equal(Scalar(x, 1, y, 0, length), d0, 1e-13);
        Assert.Equal(Scalar(x, 1 + stride, y, 0, length), d1, 1e-13);
        Assert.Equal(Scalar(x, 1 + 2 * stride, y, 0, length), d2, 1e-13);
        Assert.Equal(Scalar(x, 1 + 3 * stride, y, 0, length), d3, 1e-13);
    }
}
