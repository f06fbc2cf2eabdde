using Nabla.Estimators;

namespace Nabla.Tests.Estimators;

/// <summary>
/// The Cholesky solve against systems built from a known solution, at every size from 1 to 70 (each
/// length of the vector loops' bodies and tails, and the four-row blocks with every remainder), and
/// a matrix that is not positive definite.
/// </summary>
public sealed class SymmetricPositiveDefiniteTests
{
    [Fact]
    public void Solve_RecoversTheKnownSolution_AtEverySize()
    {
        var g = new Generator(11);
        for (int n = 1; n <= 70; n++)
        {
            // A = MᵀM + I is symmetric positive definite with a condition number of a few hundred at most.
            var m = new double[2 * n * n];
            for (int i = 0; i < m.Length; i++) m[i] = g.NextNormal();
            var a = new double[n * n];
            for (int s = 0; s < n; s++)
            {
                for (int t = 0; t < n; t++)
                {
                    double sum = s == t ? 1 : 0;
                    for (int r = 0; r < 2 * n; r++) sum += m[r * n + s] * m[r * n + t];
                    a[s * n + t] = sum;
                }
            }
            var x = new double[n];
            for (int i = 0; i < n; i++) x[i] = g.NextNormal();
            var b = new double[n];
            for (int s = 0; s < n; s++)
                for (int t = 0; t < n; t++) b[s] += a[s * n + t] * x[t];
            // Only the lower triangle may be read: spoil the upper one.
            var spoiled = (double[])a.Clone();
            for (int s = 0; s < n; s++)
                for (int t = s + 1; t < n; t++) spoiled[s * n + t] = double.NaN;

            SymmetricPositiveDefinite.Solve(spoiled, b, n);

            for (int i = 0; i < n; i++) Assert.True(Math.Abs(b[i] - x[i]) <= 1e-9 * (1 + Math.Abs(x[i])), $"n = {n}: x[{i}] = {b[i]:R}, expected {x[i]:R}");
            // The lower triangle now holds L, and L·Lᵀ is A again.
            for (int s = 0; s < n; s++)
            {
                for (int t = 0; t <= s; t++)
                {
                    double product = 0;
                    for (int r = 0; r <= t; r++) product += spoiled[s * n + r] * spoiled[t * n + r];
                    Assert.True(Math.Abs(product - a[s * n + t]) <= 1e-11 * (1 + Math.Abs(a[s * n + t])), $"n = {n}: (L·Lᵀ)[{s}, {t}] = {product:R}, A has {a[s * n + t]:R}");
                }
            }
        }
    }

    [Fact]
    public void Solve_RefusesAMatrixThatIsNotPositiveDefinite_NamingThePivot()
    {
        // [[1, 2], [2, 1]] has eigenvalues 3 and −1: the second pivot is 1 − 2² = −3.
        var error = Assert.Throws<ArgumentException>(() => SymmetricPositiveDefinite.Solve([1, 2, 2, 1], [1, 1], 2));

        Assert.Contains("pivot 1 is -3", error.Message);
    }
}
