using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>
/// The GRU's per-step derivative against the formulas written out one element at a time, for hidden
/// sizes that exercise the vector loop, its scalar tail and both together, in Float32 and Float64:
/// the values must be the same bits, whatever the vector width of the machine.
/// </summary>
public class RecurrentKernelsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(19)]
    [InlineData(128)]
    public void GruBackward_GivesTheFormulasBits(int hidden)
    {
        var random = new Random(hidden);
        double[] Values(int count, bool unit) =>
            Enumerable.Range(0, count).Select(_ => unit ? random.NextDouble() : 2 * random.NextDouble() - 1).ToArray();
        double[] dh = Values(hidden, false), gates = Values(3 * hidden, true), hiddenGate = Values(hidden, false), h = Values(hidden, false);
        Check(dh, gates, hiddenGate, h);
        Check(Array.ConvertAll(dh, v => (float)v), Array.ConvertAll(gates, v => (float)v),
            Array.ConvertAll(hiddenGate, v => (float)v), Array.ConvertAll(h, v => (float)v));
    }

    private static void Check<T>(T[] dh, T[] gates, T[] hiddenGate, T[] h) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int hidden = h.Length;
        T[] dp = new T[3 * hidden], dq = new T[3 * hidden], direct = new T[hidden];
        RecurrentKernels.GruBackward<T>(dh, gates, hiddenGate, h, dp, dq, direct);
        for (int j = 0; j < hidden; j++)
        {
            T r = gates[j], z = gates[hidden + j], n = gates[2 * hidden + j], g = dh[j];
            // dn = dh′(1 − z)(1 − n²), dz = dh′(h − n)·z(1 − z), dr = dn·(q_n + b_hn)·r(1 − r).
            T dn = g * (T.One - z) * (T.One - n * n);
            T dz = g * (h[j] - n) * z * (T.One - z);
            T dr = dn * hiddenGate[j] * r * (T.One - r);
            Assert.Equal([dr, dz, dn], new[] { dp[j], dp[hidden + j], dp[2 * hidden + j] });
            Assert.Equal([dr, dz, dn * r], new[] { dq[j], dq[hidden + j], dq[2 * hidden + j] });
            Assert.Equal(g * z, direct[j]);
        }
    }
}
